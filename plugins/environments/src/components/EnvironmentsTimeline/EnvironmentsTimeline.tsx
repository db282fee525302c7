import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  Blackout,
  Booking,
  Environment,
} from '@internal/plugin-environments-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import ButtonGroup from '@material-ui/core/ButtonGroup';
import { makeStyles } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import { MouseEvent, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { environmentsApiRef } from '../../api';
import { HealthIndicator } from '../HealthIndicator';
import { formatDateTime } from '../time';
import {
  percentOf,
  slotAt,
  ticks,
  timelineWindow,
  Zoom,
  ZOOM_DAYS,
} from './timelineWindow';

const useStyles = makeStyles(theme => ({
  row: { display: 'flex', alignItems: 'center', height: 32 },
  label: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
    width: 180,
    flexShrink: 0,
    paddingRight: theme.spacing(1),
    overflow: 'hidden',
  },
  track: {
    position: 'relative',
    flexGrow: 1,
    height: 24,
    background: theme.palette.background.default,
    borderRadius: 4,
    cursor: 'copy',
  },
  bar: {
    position: 'absolute',
    top: 2,
    bottom: 2,
    borderRadius: 3,
    overflow: 'hidden',
    whiteSpace: 'nowrap',
    fontSize: 11,
    lineHeight: '20px',
    padding: '0 4px',
    color: theme.palette.primary.contrastText,
    background: theme.palette.primary.main,
    cursor: 'default',
  },
  pending: { background: theme.palette.warning.main },
  blackout: {
    position: 'absolute',
    top: 0,
    bottom: 0,
    background:
      'repeating-linear-gradient(45deg, rgba(0,0,0,0.12), rgba(0,0,0,0.12) 4px, transparent 4px, transparent 8px)',
  },
  now: {
    position: 'absolute',
    top: 0,
    bottom: 0,
    width: 2,
    background: theme.palette.error.main,
  },
  ticks: { position: 'relative', height: 18, marginLeft: 180 },
  tick: {
    position: 'absolute',
    fontSize: 10,
    color: theme.palette.text.secondary,
  },
}));

/**
 * Environments as rows, bookings as bars (pending ones in amber), blackouts shaded, with day,
 * week and month zoom. Clicking free space proposes a booking there.
 */
export function EnvironmentsTimeline(props: {
  environments: Environment[];
  /** Changes whenever bookings may have changed, to reload them. */
  version: number;
  onPickSlot: (
    environment: Environment,
    slot: { start: Date; end: Date },
  ) => void;
}) {
  const { environments, version, onPickSlot } = props;
  const classes = useStyles();
  const api = useApi(environmentsApiRef);
  const [zoom, setZoom] = useState<Zoom>('week');
  const [day, setDay] = useState(() => new Date());
  const window = timelineWindow(day, zoom);
  const from = window.from.toISOString();
  const to = window.to.toISOString();
  const { value, loading, error } = useAsync(async () => {
    const [bookings, blackouts] = await Promise.all([
      api.listBookings({ status: ['approved', 'pending'], from, to }),
      api.listBlackouts({ from, to }),
    ]);
    return { bookings, blackouts };
  }, [api, from, to, version]);

  function shift(direction: number) {
    setDay(
      new Date(
        window.from.getTime() + direction * ZOOM_DAYS[zoom] * 24 * 3600_000,
      ),
    );
  }

  function pick(environment: Environment, event: MouseEvent<HTMLDivElement>) {
    if (event.target !== event.currentTarget || !environment.bookable) return;
    const rect = event.currentTarget.getBoundingClientRect();
    onPickSlot(
      environment,
      slotAt((event.clientX - rect.left) / rect.width, window, zoom),
    );
  }

  const place = (start: Date, end: Date) => {
    const left = percentOf(start, window);
    return {
      left: `${left}%`,
      width: `${Math.max(percentOf(end, window) - left, 0.3)}%`,
    };
  };
  const coversEnvironment = (b: Blackout, env: Environment) =>
    b.scope === 'environment'
      ? b.scopeKey === env.entityRef
      : b.scopeKey === env.tier;
  const now = new Date();

  return (
    <InfoCard
      title="Timeline"
      subheader={`${formatDateTime(from)} – ${formatDateTime(to)}`}
      action={
        <Box display="flex" style={{ gap: 8 }} mt={1}>
          <ButtonGroup size="small" aria-label="Zoom">
            {(['day', 'week', 'month'] as Zoom[]).map(z => (
              <Button
                key={z}
                variant={z === zoom ? 'contained' : 'outlined'}
                onClick={() => setZoom(z)}
              >
                {z}
              </Button>
            ))}
          </ButtonGroup>
          <ButtonGroup size="small" aria-label="Move">
            <Button onClick={() => shift(-1)}>Earlier</Button>
            <Button onClick={() => setDay(new Date())}>Today</Button>
            <Button onClick={() => shift(1)}>Later</Button>
          </ButtonGroup>
        </Box>
      }
    >
      {loading && !value && <Progress />}
      {error && <ResponseErrorPanel error={error} />}
      <div className={classes.ticks}>
        {ticks(window, zoom).map(tick => (
          <span
            key={tick.getTime()}
            className={classes.tick}
            style={{ left: `${percentOf(tick, window)}%` }}
          >
            {zoom === 'day'
              ? tick.toLocaleTimeString(undefined, {
                  hour: '2-digit',
                  minute: '2-digit',
                })
              : tick.toLocaleDateString(undefined, {
                  day: 'numeric',
                  month: 'short',
                })}
          </span>
        ))}
      </div>
      {environments.map(env => (
        <div
          key={env.entityRef}
          className={classes.row}
          role="group"
          aria-label={`Timeline of ${env.title ?? env.name}`}
        >
          <div className={classes.label}>
            <HealthIndicator health={env.health} compact />
            <Typography variant="body2" noWrap>
              {env.title ?? env.name}
            </Typography>
          </div>
          <div
            className={classes.track}
            role="button"
            tabIndex={env.bookable ? 0 : -1}
            aria-label={`Book ${env.title ?? env.name} on the timeline`}
            onClick={event => pick(env, event)}
            onKeyDown={event => {
              // From the keyboard, propose the slot at the current time (or the window's start).
              if (
                env.bookable &&
                (event.key === 'Enter' || event.key === ' ')
              ) {
                event.preventDefault();
                onPickSlot(
                  env,
                  slotAt(percentOf(new Date(), window) / 100, window, zoom),
                );
              }
            }}
            title={env.bookable ? 'Click free time to book' : 'Not bookable'}
          >
            {value?.blackouts
              .filter(b => coversEnvironment(b, env))
              .map(b => (
                <div
                  key={b.id}
                  className={classes.blackout}
                  style={place(new Date(b.start), new Date(b.end))}
                  title={`${b.kind}: ${b.title}`}
                />
              ))}
            {value?.bookings
              .filter((b: Booking) => b.environmentRef === env.entityRef)
              .map(b => (
                <div
                  key={b.id}
                  role="note"
                  aria-label={`Booking ${b.title}`}
                  className={`${classes.bar} ${
                    b.status === 'pending' ? classes.pending : ''
                  }`}
                  style={place(new Date(b.start), new Date(b.end))}
                  title={`${b.title} (${b.status}), ${
                    b.requesterRef
                  }, ${formatDateTime(b.start)} – ${formatDateTime(b.end)}`}
                >
                  {b.title}
                </div>
              ))}
            {now >= window.from && now < window.to && (
              <div
                className={classes.now}
                style={{ left: `${percentOf(now, window)}%` }}
              />
            )}
          </div>
        </div>
      ))}
    </InfoCard>
  );
}
