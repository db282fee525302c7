import { getCompoundEntityRef } from '@backstage/catalog-model';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { EntityRefLink, useEntity } from '@backstage/plugin-catalog-react';
import {
  Booking,
  TeamEnvironment,
  TeamOverview,
  TeamPipelineStatus,
  WaitlistEntry,
} from '@internal/plugin-environments-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import Grid from '@material-ui/core/Grid';
import LinearProgress from '@material-ui/core/LinearProgress';
import Link from '@material-ui/core/Link';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import ListSubheader from '@material-ui/core/ListSubheader';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { useTheme } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import EventIcon from '@material-ui/icons/Event';
import useAsync from 'react-use/esm/useAsync';
import { environmentsApiRef } from '../../api';
import { BookingSubject, errorMessage } from '../BookingSubject';
import { SloStatusChip } from '../EntitySlosContent/SloCard';
import { formatBudget, formatSli } from '../EntitySlosContent/sloFormat';
import { EnvironmentStatusLabel } from '../EnvironmentsTable';
import { HealthIndicator } from '../HealthIndicator';
import { CiStatusChip } from '../Pipelines/CiStatusChip';
import { providerName, SourceStateNote } from '../Pipelines/SourceStateNote';
import { formatDateTime } from '../time';

const PIPELINE_LABEL: Record<TeamPipelineStatus, string> = {
  failing: 'Failing',
  running: 'Running',
  passing: 'Passing',
  unknown: 'Unknown',
};

function PipelineStatusChip({ status }: { status: TeamPipelineStatus }) {
  const theme = useTheme();
  const colour = {
    failing: theme.palette.error.main,
    running: theme.palette.info.dark,
    passing: theme.palette.success.main,
    unknown: theme.palette.grey[500],
  }[status];
  return (
    <Chip
      size="small"
      label={PIPELINE_LABEL[status]}
      style={{ backgroundColor: colour, color: theme.palette.common.white }}
    />
  );
}

/** Booked time over bookable time of the last 7 days, as a bar with its percentage. */
function Utilisation({ value }: { value?: number }) {
  if (value === undefined) {
    return (
      <Typography variant="body2" color="textSecondary">
        not bookable
      </Typography>
    );
  }
  const percent = Math.round(value * 100);
  return (
    <Box display="flex" alignItems="center" style={{ gap: 8, minWidth: 140 }}>
      <Box flexGrow={1}>
        <LinearProgress
          variant="determinate"
          value={percent}
          aria-label="Utilisation over the last 7 days"
        />
      </Box>
      <Typography variant="body2">{percent}%</Typography>
    </Box>
  );
}

/** Who holds it now, until when. */
function Holders({ holders }: { holders: Booking[] }) {
  if (holders.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        free
      </Typography>
    );
  }
  return (
    <>
      {holders.map(b => (
        <div key={b.id}>
          <EntityRefLink entityRef={b.requesterRef} defaultKind="user" /> until{' '}
          {formatDateTime(b.end)}
        </div>
      ))}
    </>
  );
}

function EnvironmentsCard({ items }: { items: TeamEnvironment[] }) {
  return (
    <InfoCard title="Environments the team owns">
      {items.length === 0 ? (
        <Typography variant="body2">
          The team and its groups own no environments.
        </Typography>
      ) : (
        <Table size="small" aria-label="Environments the team owns">
          <TableHead>
            <TableRow>
              <TableCell>Environment</TableCell>
              <TableCell>Tier</TableCell>
              <TableCell>Status</TableCell>
              <TableCell>Held by</TableCell>
              <TableCell>Utilisation (7 days)</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {items.map(({ environment, holders, utilisation }) => (
              <TableRow key={environment.entityRef}>
                <TableCell>
                  <EntityRefLink
                    entityRef={environment.entityRef}
                    defaultKind="resource"
                    title={environment.title}
                  />
                </TableCell>
                <TableCell>{environment.tier}</TableCell>
                <TableCell>
                  <Box display="flex" alignItems="center" style={{ gap: 8 }}>
                    <EnvironmentStatusLabel status={environment.status} />
                    <HealthIndicator health={environment.health} />
                  </Box>
                </TableCell>
                <TableCell>
                  <Holders holders={holders} />
                </TableCell>
                <TableCell>
                  <Utilisation value={utilisation} />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </InfoCard>
  );
}

function BookingItem({ booking }: { booking: Booking }) {
  return (
    <ListItem>
      <ListItemText
        primary={
          <>
            <EntityRefLink
              entityRef={booking.requesterRef}
              defaultKind="user"
            />
            {': '}
            <BookingSubject
              title={booking.title}
              environmentRef={booking.environmentRef}
            />
            {booking.status === 'pending' && ' (waiting for approval)'}
          </>
        }
        secondary={`${formatDateTime(booking.start)} – ${formatDateTime(
          booking.end,
        )}`}
      />
    </ListItem>
  );
}

function BookingsCard({ bookings }: { bookings: TeamOverview['bookings'] }) {
  const section = (title: string, items: Booking[], empty: string) => (
    <List
      dense
      aria-label={title}
      subheader={<ListSubheader disableSticky>{title}</ListSubheader>}
    >
      {items.length === 0 ? (
        <ListItem>
          <ListItemText secondary={empty} />
        </ListItem>
      ) : (
        items.map(b => <BookingItem key={b.id} booking={b} />)
      )}
    </List>
  );
  return (
    <InfoCard title="Members' bookings">
      {section('Now', bookings.current, 'No member holds an environment now.')}
      {section('Next', bookings.upcoming, 'No bookings to come.')}
    </InfoCard>
  );
}

function waitlistState(entry: WaitlistEntry): string {
  if (entry.status === 'offered') {
    return `offered, claim before ${formatDateTime(entry.holdExpiresAt!)}`;
  }
  return `position ${entry.position}`;
}

function WaitlistCard({ entries }: { entries: WaitlistEntry[] }) {
  return (
    <InfoCard title="Waitlist places">
      {entries.length === 0 ? (
        <Typography variant="body2">
          No member is waiting for a slot.
        </Typography>
      ) : (
        <List dense aria-label="Waitlist places">
          {entries.map(entry => (
            <ListItem key={entry.id}>
              <ListItemText
                primary={
                  <>
                    <EntityRefLink
                      entityRef={entry.requesterRef}
                      defaultKind="user"
                    />
                    {': '}
                    <BookingSubject
                      title={entry.title}
                      environmentRef={entry.environmentRef}
                    />
                    {` (${waitlistState(entry)})`}
                  </>
                }
                secondary={`${formatDateTime(entry.start)} – ${formatDateTime(
                  entry.end,
                )}`}
              />
            </ListItem>
          ))}
        </List>
      )}
    </InfoCard>
  );
}

function SlosCard({ slos }: { slos: TeamOverview['slos'] }) {
  return (
    <InfoCard title="SLOs, least error budget left first">
      {slos.problems.map(problem => (
        <Alert
          key={`${problem.entityRef}:${problem.file}:${problem.line}`}
          severity="warning"
          style={{ marginBottom: 8 }}
        >
          <EntityRefLink entityRef={problem.entityRef} />, {problem.file}
          {problem.line !== undefined && `, line ${problem.line}`}:{' '}
          {problem.message}
        </Alert>
      ))}
      {slos.items.length === 0 ? (
        <Typography variant="body2">
          The team's components define no SLOs.
        </Typography>
      ) : (
        <Table size="small" aria-label="SLOs of the team's components">
          <TableHead>
            <TableRow>
              <TableCell>Component</TableCell>
              <TableCell>SLO</TableCell>
              <TableCell>Target</TableCell>
              <TableCell>SLI</TableCell>
              <TableCell>Budget left</TableCell>
              <TableCell>Status</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {slos.items.map(item => (
              <TableRow key={`${item.entityRef}:${item.slo}:${item.objective}`}>
                <TableCell>
                  <EntityRefLink
                    entityRef={item.entityRef}
                    title={item.entityTitle}
                  />
                </TableCell>
                <TableCell>
                  {item.sloTitle ?? item.slo} ({item.objective})
                </TableCell>
                <TableCell>{formatSli(item.target)}</TableCell>
                <TableCell>{formatSli(item.sli)}</TableCell>
                <TableCell>{formatBudget(item.budgetRemaining)}</TableCell>
                <TableCell>
                  <SloStatusChip status={item.status} />
                  {item.source === 'stale' && ' last known'}
                  {(item.source === 'unavailable' ||
                    item.source === 'not-configured') &&
                    ` source ${item.source}`}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </InfoCard>
  );
}

function PipelinesCard({
  pipelines,
}: {
  pipelines: TeamOverview['pipelines'];
}) {
  return (
    <InfoCard title="Pipelines on the default branch">
      {pipelines.length === 0 ? (
        <Typography variant="body2">The team owns no components.</Typography>
      ) : (
        <Table
          size="small"
          aria-label="Pipeline health of the team's components"
        >
          <TableHead>
            <TableRow>
              <TableCell>Component</TableCell>
              <TableCell>Health</TableCell>
              <TableCell>Latest runs</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {pipelines.map(component => (
              <TableRow key={component.entityRef}>
                <TableCell>
                  <EntityRefLink
                    entityRef={component.entityRef}
                    title={component.title}
                  />
                </TableCell>
                <TableCell>
                  <PipelineStatusChip status={component.status} />
                </TableCell>
                <TableCell>
                  {component.providers.length === 0 && (
                    <Typography variant="body2" color="textSecondary">
                      no CI annotation
                    </Typography>
                  )}
                  {component.providers.map(provider => (
                    <Box key={provider.provider} mb={1}>
                      <SourceStateNote state={provider} />
                      {provider.latest.map(run => (
                        <Box
                          key={run.id}
                          display="flex"
                          alignItems="center"
                          style={{ gap: 8 }}
                        >
                          <CiStatusChip status={run.status} />
                          {run.url ? (
                            <Link href={run.url} target="_blank" rel="noopener">
                              {run.name}
                            </Link>
                          ) : (
                            run.name
                          )}
                          <Typography variant="caption" color="textSecondary">
                            {providerName(provider.provider)}, {run.branch}
                          </Typography>
                        </Box>
                      ))}
                      {provider.status === 'ok' &&
                        provider.latest.length === 0 && (
                          <Typography variant="body2" color="textSecondary">
                            {providerName(provider.provider)}: no runs on the
                            default branch
                          </Typography>
                        )}
                    </Box>
                  ))}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </InfoCard>
  );
}

/**
 * The Environments tab of a Group page: the environments the group owns, its members' bookings
 * now and next and their waitlist places, its components' SLOs (least budget first) and
 * pipeline health. Child groups and their members count as the group's; the backend resolves
 * them from the catalog.
 */
export function EntityTeamEnvironmentsContent() {
  const { entity } = useEntity();
  const group = getCompoundEntityRef(entity);
  const api = useApi(environmentsApiRef);
  const alertApi = useApi(alertApiRef);
  const overview = useAsync(
    () => api.getTeamOverview(group),
    [api, group.namespace, group.name],
  );

  // The feed needs the user's token, which a plain link would not send: fetch it, then save it.
  async function downloadCalendar() {
    try {
      const text = await api.getTeamCalendar(group);
      const url = URL.createObjectURL(
        new Blob([text], { type: 'text/calendar' }),
      );
      const link = document.createElement('a');
      link.href = url;
      link.download = `${group.name}-bookings.ics`;
      link.click();
      URL.revokeObjectURL(url);
    } catch (e) {
      alertApi.post({
        message: `Could not download the team calendar: ${errorMessage(e)}`,
        severity: 'error',
      });
    }
  }

  if (overview.loading) return <Progress />;
  if (overview.error) return <ResponseErrorPanel error={overview.error} />;
  const team = overview.value!;
  const childGroups = team.groupRefs.length - 1;
  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <Box
          display="flex"
          alignItems="center"
          justifyContent="space-between"
          flexWrap="wrap"
          style={{ gap: 16 }}
        >
          <Typography variant="body2" color="textSecondary">
            {team.memberRefs.length} member
            {team.memberRefs.length === 1 ? '' : 's'}
            {childGroups > 0 &&
              `, including ${childGroups} child group${
                childGroups === 1 ? '' : 's'
              }`}
            , as the catalog lists them.
          </Typography>
          <Button
            variant="outlined"
            size="small"
            startIcon={<EventIcon />}
            onClick={downloadCalendar}
          >
            Team calendar (.ics)
          </Button>
        </Box>
      </Grid>
      <Grid item xs={12}>
        <EnvironmentsCard items={team.environments} />
      </Grid>
      <Grid item xs={12} md={6}>
        <BookingsCard bookings={team.bookings} />
      </Grid>
      <Grid item xs={12} md={6}>
        <WaitlistCard entries={team.waitlist} />
      </Grid>
      <Grid item xs={12}>
        <SlosCard slos={team.slos} />
      </Grid>
      <Grid item xs={12}>
        <PipelinesCard pipelines={team.pipelines} />
      </Grid>
    </Grid>
  );
}
