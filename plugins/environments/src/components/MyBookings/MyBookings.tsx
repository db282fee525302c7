import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { Booking, WaitlistEntry } from '@internal/plugin-environments-common';
import Button from '@material-ui/core/Button';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemSecondaryAction from '@material-ui/core/ListItemSecondaryAction';
import ListItemText from '@material-ui/core/ListItemText';
import ListSubheader from '@material-ui/core/ListSubheader';
import Typography from '@material-ui/core/Typography';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { environmentsApiRef } from '../../api';
import { formatDateTime } from '../time';
import { BookingSubject, errorMessage } from '../BookingSubject';

const HOUR = 3600_000;

/** The signed-in user's current and coming bookings and waitlist places, with their actions. */
export function MyBookings(props: { version: number; onChanged: () => void }) {
  const api = useApi(environmentsApiRef);
  const alertApi = useApi(alertApiRef);
  const { value, loading, error, retry } = useAsyncRetry(async () => {
    const [bookings, waitlist] = await Promise.all([
      api.listBookings({
        requesterRef: 'me',
        status: ['approved', 'pending'],
        from: new Date().toISOString(),
      }),
      api.listMyWaitlist(),
    ]);
    return {
      bookings,
      waitlist: waitlist.filter(
        e => e.status === 'waiting' || e.status === 'offered',
      ),
    };
  }, [api, props.version]);

  async function act(label: string, action: () => Promise<unknown>) {
    try {
      await action();
      alertApi.post({
        message: label,
        severity: 'success',
        display: 'transient',
      });
    } catch (e) {
      const message = errorMessage(e);
      alertApi.post({
        message: `${label} failed: ${message}`,
        severity: 'error',
      });
    }
    retry();
    props.onChanged();
  }

  if (loading && !value) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  if (!value?.bookings.length && !value?.waitlist.length) return null;
  const now = Date.now();
  return (
    <InfoCard title="My bookings">
      <List dense aria-label="My bookings">
        {value.bookings.map((b: Booking) => {
          const started = new Date(b.start).getTime() <= now;
          return (
            <ListItem key={b.id}>
              <ListItemText
                primary={
                  <>
                    <BookingSubject
                      title={b.title}
                      environmentRef={b.environmentRef}
                    />
                    {b.status === 'pending' && ' (waiting for approval)'}
                  </>
                }
                secondary={
                  <>
                    {`${formatDateTime(b.start)} – ${formatDateTime(b.end)}`}
                    {b.idleOfferedAt && (
                      <Typography
                        component="span"
                        variant="body2"
                        color="error"
                        display="block"
                      >
                        Idle — release or keep (asked{' '}
                        {formatDateTime(b.idleOfferedAt)})
                      </Typography>
                    )}
                  </>
                }
              />
              <ListItemSecondaryAction>
                {b.idleOfferedAt && (
                  <Button
                    size="small"
                    color="primary"
                    onClick={() =>
                      act(`Kept "${b.title}"`, () => api.keepBooking(b.id))
                    }
                  >
                    Keep
                  </Button>
                )}
                {b.status === 'approved' && (
                  <Button
                    size="small"
                    onClick={() =>
                      act(`Extended "${b.title}" by an hour`, () =>
                        api.extendBooking(
                          b.id,
                          new Date(
                            new Date(b.end).getTime() + HOUR,
                          ).toISOString(),
                        ),
                      )
                    }
                  >
                    +1 h
                  </Button>
                )}
                {started ? (
                  <Button
                    size="small"
                    onClick={() =>
                      act(`Released "${b.title}"`, () =>
                        api.releaseBooking(b.id),
                      )
                    }
                  >
                    Release
                  </Button>
                ) : (
                  <Button
                    size="small"
                    onClick={() =>
                      act(`Cancelled "${b.title}"`, () =>
                        api.cancelBooking(b.id),
                      )
                    }
                  >
                    Cancel
                  </Button>
                )}
              </ListItemSecondaryAction>
            </ListItem>
          );
        })}
      </List>
      {value.waitlist.length > 0 && (
        <List
          dense
          subheader={<ListSubheader>Waitlist</ListSubheader>}
          aria-label="My waitlist"
        >
          {value.waitlist.map((e: WaitlistEntry) => (
            <ListItem key={e.id}>
              <ListItemText
                primary={
                  <BookingSubject
                    title={e.title}
                    environmentRef={e.environmentRef}
                  />
                }
                secondary={
                  e.status === 'offered'
                    ? `Free for you until ${formatDateTime(
                        e.holdExpiresAt!,
                      )}: claim it`
                    : `Position ${e.position} for ${formatDateTime(
                        e.start,
                      )} – ${formatDateTime(e.end)}`
                }
              />
              <ListItemSecondaryAction>
                {e.status === 'offered' && (
                  <Button
                    size="small"
                    color="primary"
                    onClick={() =>
                      act(`Booked "${e.title}"`, () => api.claimWaitlist(e.id))
                    }
                  >
                    Claim
                  </Button>
                )}
                <Button
                  size="small"
                  onClick={() =>
                    act('Left the waitlist', () => api.leaveWaitlist(e.id))
                  }
                >
                  Leave
                </Button>
              </ListItemSecondaryAction>
            </ListItem>
          ))}
        </List>
      )}
    </InfoCard>
  );
}
