import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { AuditEvent } from '@internal/plugin-environments-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import MenuItem from '@material-ui/core/MenuItem';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { FormEvent, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { AuditFilter, environmentsApiRef } from '../../api';
import { errorMessage } from '../BookingSubject';
import { saveTextFile } from '../download';
import { formatDateTime, fromLocalInput } from '../time';

/** Events per page of the table. */
export const AUDIT_PAGE_SIZE = 50;

/** The filter form's fields as typed: times as `datetime-local` values. */
interface FilterForm {
  environmentRef: string;
  actorRef: string;
  action: string;
  from: string;
  to: string;
}

const EMPTY_FORM: FilterForm = {
  environmentRef: '',
  actorRef: '',
  action: '',
  from: '',
  to: '',
};

/** The API's filter of what the form holds; empty fields filter nothing. */
function toFilter(form: FilterForm): AuditFilter {
  return {
    environmentRef: form.environmentRef || undefined,
    actorRef: form.actorRef.trim() || undefined,
    action: form.action.trim() || undefined,
    from: form.from ? fromLocalInput(form.from) : undefined,
    to: form.to ? fromLocalInput(form.to) : undefined,
  };
}

/**
 * The audit log, newest first: filtered by environment, user, action and time, a page at a
 * time, each event with the record before and after; "Export CSV" downloads every event the
 * filter matches (up to the backend's limit).
 */
export function AuditLogTab() {
  const api = useApi(environmentsApiRef);
  const alertApi = useApi(alertApiRef);
  const [form, setForm] = useState(EMPTY_FORM);
  const [filter, setFilter] = useState<AuditFilter>({});
  const [offset, setOffset] = useState(0);
  const environments = useAsync(() => api.listEnvironments(), [api]);
  const events = useAsync(
    () => api.listAuditEvents({ ...filter, limit: AUDIT_PAGE_SIZE, offset }),
    [api, filter, offset],
  );

  const field =
    (name: keyof FilterForm) => (event: { target: { value: string } }) =>
      setForm({ ...form, [name]: event.target.value });

  function apply(event: FormEvent) {
    event.preventDefault();
    setFilter(toFilter(form));
    setOffset(0);
  }

  async function exportCsv() {
    try {
      saveTextFile(
        await api.getAuditCsv(filter),
        'text/csv;charset=utf-8',
        'audit-log.csv',
      );
    } catch (e) {
      alertApi.post({
        message: `Could not export the audit log: ${errorMessage(e)}`,
        severity: 'error',
      });
    }
  }

  return (
    <InfoCard
      title="Audit log"
      action={
        <Button variant="outlined" onClick={exportCsv}>
          Export CSV
        </Button>
      }
    >
      <form onSubmit={apply} aria-label="Audit log filters">
        <Box
          display="flex"
          flexWrap="wrap"
          alignItems="center"
          style={{ gap: 8 }}
        >
          <TextField
            select
            id="audit-environment"
            label="Environment"
            value={form.environmentRef}
            onChange={field('environmentRef')}
            margin="dense"
            style={{ minWidth: 200 }}
          >
            <MenuItem value="">All</MenuItem>
            {(environments.value ?? []).map(env => (
              <MenuItem key={env.entityRef} value={env.entityRef}>
                {env.title ?? env.name}
              </MenuItem>
            ))}
          </TextField>
          <TextField
            id="audit-actor"
            label="User"
            placeholder="user:default/jane"
            value={form.actorRef}
            onChange={field('actorRef')}
            margin="dense"
          />
          <TextField
            id="audit-action"
            label="Action"
            placeholder="booking-force-release"
            value={form.action}
            onChange={field('action')}
            margin="dense"
          />
          <TextField
            id="audit-from"
            label="From"
            type="datetime-local"
            value={form.from}
            onChange={field('from')}
            margin="dense"
            InputLabelProps={{ shrink: true }}
          />
          <TextField
            id="audit-to"
            label="To"
            type="datetime-local"
            value={form.to}
            onChange={field('to')}
            margin="dense"
            InputLabelProps={{ shrink: true }}
          />
          <Button type="submit" color="primary" variant="contained">
            Apply
          </Button>
        </Box>
      </form>
      {events.loading && <Progress />}
      {events.error && <ResponseErrorPanel error={events.error} />}
      {events.value && <AuditTable events={events.value} />}
      <Box display="flex" justifyContent="flex-end" mt={1} style={{ gap: 8 }}>
        <Button
          size="small"
          disabled={offset === 0}
          onClick={() => setOffset(Math.max(offset - AUDIT_PAGE_SIZE, 0))}
        >
          Newer
        </Button>
        <Button
          size="small"
          disabled={(events.value?.length ?? 0) < AUDIT_PAGE_SIZE}
          onClick={() => setOffset(offset + AUDIT_PAGE_SIZE)}
        >
          Older
        </Button>
      </Box>
    </InfoCard>
  );
}

function AuditTable(props: { events: AuditEvent[] }) {
  if (props.events.length === 0) {
    return (
      <Typography color="textSecondary">
        No event matches the filter.
      </Typography>
    );
  }
  return (
    <Table size="small" aria-label="Audit events">
      <TableHead>
        <TableRow>
          <TableCell>Time</TableCell>
          <TableCell>User</TableCell>
          <TableCell>Action</TableCell>
          <TableCell>Environment</TableCell>
          <TableCell>Reason</TableCell>
          <TableCell>Change</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {props.events.map(event => (
          <TableRow key={event.id}>
            <TableCell>{formatDateTime(event.at)}</TableCell>
            <TableCell>
              <EntityRefLink entityRef={event.actorRef} defaultKind="user" />
            </TableCell>
            <TableCell>
              {event.action}
              {event.adminOverride && ' (admin override)'}
            </TableCell>
            <TableCell>
              {event.environmentRef && (
                <EntityRefLink
                  entityRef={event.environmentRef}
                  defaultKind="resource"
                />
              )}
            </TableCell>
            <TableCell>{event.reason}</TableCell>
            <TableCell>
              <details>
                <summary>
                  {event.subjectType} {event.subjectId}
                </summary>
                <pre style={{ whiteSpace: 'pre-wrap', fontSize: 11 }}>
                  {`Before: ${JSON.stringify(
                    event.before ?? null,
                    null,
                    2,
                  )}\n` +
                    `After: ${JSON.stringify(event.after ?? null, null, 2)}`}
                </pre>
              </details>
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
