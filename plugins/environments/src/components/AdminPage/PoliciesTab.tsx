import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { PolicyScopeEntry } from '@internal/plugin-environments-common';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
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
import { PolicyDialog, scopeTitle } from './PolicyDialog';
import { describePolicy } from './policyFormat';

const SOURCE_LABELS: Record<PolicyScopeEntry['source'], string> = {
  stored: 'Set here',
  config: 'App config',
  none: 'Not set',
};

/**
 * Booking policies by scope: global, each tier, each environment; what each sets itself, where
 * that comes from, and what applies there. A stored policy replaces the configured one of its
 * scope; resetting it brings the configured one back.
 */
export function PoliciesTab() {
  const api = useApi(environmentsApiRef);
  const alertApi = useApi(alertApiRef);
  const { value, loading, error, retry } = useAsyncRetry(
    () => api.listPolicyScopes(),
    [api],
  );
  const [editing, setEditing] = useState<PolicyScopeEntry>();
  const [resetting, setResetting] = useState<PolicyScopeEntry>();

  if (loading && !value) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;

  function done(message: string) {
    alertApi.post({ message, severity: 'success', display: 'transient' });
    setEditing(undefined);
    retry();
  }

  return (
    <InfoCard
      title="Booking policies"
      subheader="The most specific scope that sets a field wins: environment, then tier, then global."
    >
      <Table size="small" aria-label="Booking policies">
        <TableHead>
          <TableRow>
            <TableCell>Scope</TableCell>
            <TableCell>Source</TableCell>
            <TableCell>Set at this scope</TableCell>
            <TableCell>In force</TableCell>
            <TableCell />
          </TableRow>
        </TableHead>
        <TableBody>
          {(value ?? []).map(entry => (
            <TableRow key={`${entry.scope}:${entry.key}`}>
              <TableCell>
                <Typography variant="body2">{scopeTitle(entry)}</Typography>
                {entry.tier && (
                  <Typography variant="caption" color="textSecondary">
                    tier {entry.tier}
                  </Typography>
                )}
              </TableCell>
              <TableCell>
                <Chip
                  size="small"
                  label={SOURCE_LABELS[entry.source]}
                  color={entry.source === 'stored' ? 'primary' : 'default'}
                />
                {entry.updatedByRef && entry.updatedAt && (
                  <Typography
                    variant="caption"
                    color="textSecondary"
                    display="block"
                  >
                    by {entry.updatedByRef}, {formatDateTime(entry.updatedAt)}
                  </Typography>
                )}
              </TableCell>
              <TableCell>
                {entry.source === 'none' ? '—' : describePolicy(entry.settings)}
              </TableCell>
              <TableCell>{describePolicy(entry.effective)}</TableCell>
              <TableCell align="right">
                <Button
                  size="small"
                  aria-label={`Edit the policy of ${scopeTitle(entry)}`}
                  onClick={() => setEditing(entry)}
                >
                  Edit
                </Button>
                {entry.source === 'stored' && (
                  <Button
                    size="small"
                    aria-label={`Reset the policy of ${scopeTitle(entry)}`}
                    onClick={() => setResetting(entry)}
                  >
                    Reset
                  </Button>
                )}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {editing && (
        <PolicyDialog
          entry={editing}
          onSaved={saved =>
            done(`Saved the booking policy of ${scopeTitle(saved)}`)
          }
          onClose={() => setEditing(undefined)}
        />
      )}
      {resetting && (
        <ActionDialog
          title={`Reset the policy of ${scopeTitle(resetting)}?`}
          description={
            resetting.configured
              ? `The configured policy applies again: ${describePolicy(
                  resetting.configured,
                )}.`
              : 'Nothing is configured for this scope: its fields come from the less specific scope again.'
          }
          confirmLabel="Reset"
          reason="none"
          onConfirm={async () => {
            await api.resetPolicy({
              scope: resetting.scope,
              key: resetting.key,
            });
            done(`Reset the booking policy of ${scopeTitle(resetting)}`);
          }}
          onClose={() => setResetting(undefined)}
        />
      )}
    </InfoCard>
  );
}
