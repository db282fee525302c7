import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { Environment } from '@internal/plugin-environments-common';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import { ReactNode, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { environmentsApiRef } from '../../api';
import { EnvironmentStatusLabel } from '../EnvironmentsTable';
import { EnvironmentStateDialog } from './EnvironmentStateDialog';

/** A value, marked when an administrator set it over the catalog's. */
function Value(props: { overridden: boolean; children: ReactNode }) {
  return (
    <>
      {props.children}
      {props.overridden && (
        <Chip size="small" label="override" style={{ marginLeft: 8 }} />
      )}
    </>
  );
}

/**
 * Every environment's status, bookability, capacity and component slots as they apply now,
 * overrides marked, each editable.
 */
export function EnvironmentStateTab() {
  const api = useApi(environmentsApiRef);
  const alertApi = useApi(alertApiRef);
  const { value, loading, error, retry } = useAsyncRetry(
    () => api.listEnvironments(),
    [api],
  );
  const [editing, setEditing] = useState<Environment>();

  if (loading && !value) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;

  return (
    <InfoCard title="Environment state">
      <Table size="small" aria-label="Environment state">
        <TableHead>
          <TableRow>
            <TableCell>Environment</TableCell>
            <TableCell>Tier</TableCell>
            <TableCell>Status</TableCell>
            <TableCell>Bookable</TableCell>
            <TableCell>Capacity</TableCell>
            <TableCell>Component slots</TableCell>
            <TableCell />
          </TableRow>
        </TableHead>
        <TableBody>
          {(value ?? []).map(environment => {
            const overrides = environment.overrides ?? {};
            const name = environment.title ?? environment.name;
            return (
              <TableRow key={environment.entityRef}>
                <TableCell>{name}</TableCell>
                <TableCell>{environment.tier}</TableCell>
                <TableCell>
                  <EnvironmentStatusLabel status={environment.status} />
                </TableCell>
                <TableCell>
                  <Value overridden={overrides.bookable !== undefined}>
                    {environment.bookable ? 'Yes' : 'No'}
                  </Value>
                </TableCell>
                <TableCell>
                  <Value overridden={overrides.capacity !== undefined}>
                    {environment.capacity}
                  </Value>
                </TableCell>
                <TableCell>
                  <Value overridden={overrides.componentSlots !== undefined}>
                    {environment.componentSlots.join(', ') || '—'}
                  </Value>
                </TableCell>
                <TableCell align="right">
                  <Button
                    size="small"
                    aria-label={`Edit the state of ${name}`}
                    onClick={() => setEditing(environment)}
                  >
                    Edit
                  </Button>
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
      {editing && (
        <EnvironmentStateDialog
          environment={editing}
          onSaved={saved => {
            alertApi.post({
              message: `Saved the state of ${saved.title ?? saved.name}`,
              severity: 'success',
              display: 'transient',
            });
            setEditing(undefined);
            retry();
          }}
          onClose={() => setEditing(undefined)}
        />
      )}
    </InfoCard>
  );
}
