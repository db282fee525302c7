import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { Blackout, Environment } from '@internal/plugin-environments-common';
import Button from '@material-ui/core/Button';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { environmentsApiRef } from '../../api';
import { formatDateTime } from '../time';
import { ActionDialog } from './ActionDialog';
import { BlackoutDialog } from './BlackoutDialog';

const DAY = 24 * 3600_000;
/** How far ahead the list reaches: blackouts may start at most 365 days ahead. */
const LIST_DAYS = 366;

/**
 * Blackouts and maintenance windows from now on, each occurrence of a recurring one on its own
 * row, with create, edit and delete.
 */
export function BlackoutsAdminTab() {
  const api = useApi(environmentsApiRef);
  const alertApi = useApi(alertApiRef);
  const { value, loading, error, retry } = useAsyncRetry(async () => {
    const from = new Date();
    const [blackouts, environments] = await Promise.all([
      api.listBlackouts({
        from: from.toISOString(),
        to: new Date(from.getTime() + LIST_DAYS * DAY).toISOString(),
      }),
      api.listEnvironments(),
    ]);
    return { blackouts, environments };
  }, [api]);
  // `null`: a new blackout; a blackout: editing it.
  const [editing, setEditing] = useState<Blackout | null>();
  const [deleting, setDeleting] = useState<Blackout>();

  if (loading && !value) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  const environments = value?.environments ?? [];

  function saved(message: string) {
    alertApi.post({ message, severity: 'success', display: 'transient' });
    setEditing(undefined);
    retry();
  }

  return (
    <InfoCard
      title="Blackouts and maintenance windows"
      action={
        <Button
          color="primary"
          variant="contained"
          onClick={() => setEditing(null)}
        >
          New blackout
        </Button>
      }
    >
      {value?.blackouts.length ? (
        <Table size="small" aria-label="Blackouts and maintenance windows">
          <TableHead>
            <TableRow>
              <TableCell>Title</TableCell>
              <TableCell>Kind</TableCell>
              <TableCell>Applies to</TableCell>
              <TableCell>When</TableCell>
              <TableCell>Repeats</TableCell>
              <TableCell />
            </TableRow>
          </TableHead>
          <TableBody>
            {value.blackouts.map(blackout => (
              <TableRow key={blackout.id}>
                <TableCell>{blackout.title}</TableCell>
                <TableCell>
                  {blackout.kind === 'maintenance'
                    ? 'Maintenance window'
                    : 'Blackout'}
                </TableCell>
                <TableCell>{appliesTo(blackout, environments)}</TableCell>
                <TableCell>
                  {formatDateTime(blackout.start)} –{' '}
                  {formatDateTime(blackout.end)}
                </TableCell>
                <TableCell>{blackout.rrule ?? 'No'}</TableCell>
                <TableCell align="right">
                  <Button
                    size="small"
                    aria-label={`Edit ${blackout.title}`}
                    onClick={() => setEditing(blackout)}
                  >
                    Edit
                  </Button>
                  <Button
                    size="small"
                    aria-label={`Delete ${blackout.title}`}
                    onClick={() => setDeleting(blackout)}
                  >
                    Delete
                  </Button>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      ) : (
        <Typography color="textSecondary">
          No blackout or maintenance window from now on.
        </Typography>
      )}
      {editing !== undefined && (
        <BlackoutDialog
          environments={environments}
          blackout={editing ?? undefined}
          onSaved={b => saved(`Saved blackout "${b.title}"`)}
          onClose={() => setEditing(undefined)}
        />
      )}
      {deleting && (
        <ActionDialog
          title={`Delete ${deleting.title}`}
          description={
            deleting.seriesId
              ? `Deletes this occurrence (${formatDateTime(
                  deleting.start,
                )}) and the later occurrences of the recurring blackout; earlier ones stay.`
              : `Deletes the blackout of ${formatDateTime(
                  deleting.start,
                )} – ${formatDateTime(deleting.end)}.`
          }
          confirmLabel="Delete"
          reason="none"
          onConfirm={async () => {
            await api.deleteBlackout(deleting.id);
            saved(`Deleted blackout "${deleting.title}"`);
          }}
          onClose={() => setDeleting(undefined)}
        />
      )}
    </InfoCard>
  );
}

/** The environment's title, or the tier, a blackout covers. */
function appliesTo(blackout: Blackout, environments: Environment[]): string {
  if (blackout.scope === 'tier') return `Tier ${blackout.scopeKey}`;
  const environment = environments.find(e => e.entityRef === blackout.scopeKey);
  return environment?.title ?? environment?.name ?? blackout.scopeKey;
}
