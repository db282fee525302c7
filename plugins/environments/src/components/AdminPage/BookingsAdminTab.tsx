import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { Booking } from '@internal/plugin-environments-common';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { environmentsApiRef } from '../../api';
import { BookingSubject } from '../BookingSubject';
import { formatDateTime } from '../time';
import { ActionDialog } from './ActionDialog';

type Action = 'approve' | 'reject' | 'force-release' | 'reassign';

/**
 * The admin's bookings: the approval queue (every pending booking, whoever owns the
 * environment) with approve and reject, and the approved bookings running or to come with
 * force release and reassign, each asking for a reason.
 */
export function BookingsAdminTab() {
  const api = useApi(environmentsApiRef);
  const alertApi = useApi(alertApiRef);
  const { value, loading, error, retry } = useAsyncRetry(async () => {
    // Bookings that end after now: running ones and those to come.
    const from = new Date().toISOString();
    const [pending, active] = await Promise.all([
      api.listBookings({ status: ['pending'], from }),
      api.listBookings({ status: ['approved'], from }),
    ]);
    return { pending, active };
  }, [api]);
  const [action, setAction] = useState<{ kind: Action; booking: Booking }>();

  if (loading && !value) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;

  function done(message: string) {
    alertApi.post({ message, severity: 'success', display: 'transient' });
    retry();
  }

  return (
    <Grid container spacing={3} direction="column">
      <Grid item>
        <InfoCard title="Waiting for approval">
          <BookingTable
            label="Bookings waiting for approval"
            bookings={value?.pending ?? []}
            empty="No booking is waiting for approval."
            actions={[
              ['approve', 'Approve'],
              ['reject', 'Reject'],
            ]}
            onAction={(kind, booking) => setAction({ kind, booking })}
          />
        </InfoCard>
      </Grid>
      <Grid item>
        <InfoCard title="Running and upcoming bookings">
          <BookingTable
            label="Running and upcoming bookings"
            bookings={value?.active ?? []}
            empty="No approved booking is running or to come."
            actions={[
              ['force-release', 'Force release'],
              ['reassign', 'Reassign'],
            ]}
            onAction={(kind, booking) => setAction({ kind, booking })}
          />
        </InfoCard>
      </Grid>
      {action && (
        <BookingActionDialog
          action={action.kind}
          booking={action.booking}
          onDone={done}
          onClose={() => setAction(undefined)}
        />
      )}
    </Grid>
  );
}

function BookingTable(props: {
  label: string;
  bookings: Booking[];
  empty: string;
  actions: Array<[Action, string]>;
  onAction: (action: Action, booking: Booking) => void;
}) {
  if (props.bookings.length === 0) {
    return <Typography color="textSecondary">{props.empty}</Typography>;
  }
  return (
    <Table size="small" aria-label={props.label}>
      <TableHead>
        <TableRow>
          <TableCell>Booking</TableCell>
          <TableCell>Requester</TableCell>
          <TableCell>Team</TableCell>
          <TableCell>When</TableCell>
          <TableCell />
        </TableRow>
      </TableHead>
      <TableBody>
        {props.bookings.map(booking => (
          <TableRow key={booking.id}>
            <TableCell>
              <BookingSubject
                title={booking.title}
                environmentRef={booking.environmentRef}
              />
            </TableCell>
            <TableCell>
              <EntityRefLink
                entityRef={booking.requesterRef}
                defaultKind="user"
              />
            </TableCell>
            <TableCell>
              {booking.teamRef && (
                <EntityRefLink
                  entityRef={booking.teamRef}
                  defaultKind="group"
                />
              )}
            </TableCell>
            <TableCell>
              {formatDateTime(booking.start)} – {formatDateTime(booking.end)}
            </TableCell>
            <TableCell align="right">
              {props.actions.map(([action, label]) => (
                <Button
                  key={action}
                  size="small"
                  aria-label={`${label} ${booking.title}`}
                  onClick={() => props.onAction(action, booking)}
                >
                  {label}
                </Button>
              ))}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** The dialog of one action on one booking; `onDone` gets the success message. */
function BookingActionDialog(props: {
  action: Action;
  booking: Booking;
  onDone: (message: string) => void;
  onClose: () => void;
}) {
  const { action, booking, onDone, onClose } = props;
  const api = useApi(environmentsApiRef);
  const [requesterRef, setRequesterRef] = useState('');
  const [teamRef, setTeamRef] = useState('');
  const subject = `"${booking.title}"`;

  if (action === 'approve' || action === 'reject') {
    const verb = action === 'approve' ? 'Approve' : 'Reject';
    return (
      <ActionDialog
        title={`${verb} ${subject}`}
        description={`${verb} the booking of ${booking.environmentRef} by ${
          booking.requesterRef
        }, ${formatDateTime(booking.start)} – ${formatDateTime(booking.end)}.`}
        confirmLabel={verb}
        reason="optional"
        onConfirm={async note => {
          await api.decideBooking(booking.id, action, note || undefined);
          onDone(
            `${action === 'approve' ? 'Approved' : 'Rejected'} ${subject}`,
          );
        }}
        onClose={onClose}
      />
    );
  }
  if (action === 'force-release') {
    return (
      <ActionDialog
        title={`Force release ${subject}`}
        description={`Ends the booking of ${booking.environmentRef} by ${booking.requesterRef} now if it is running, or cancels it if it has not started. Its requester and team are told, with your reason.`}
        confirmLabel="Force release"
        reason="required"
        onConfirm={async reason => {
          const ended = await api.forceReleaseBooking(booking.id, reason);
          onDone(`${subject} is ${ended.status}`);
        }}
        onClose={onClose}
      />
    );
  }
  return (
    <ActionDialog
      title={`Reassign ${subject}`}
      description={`Gives the booking of ${booking.environmentRef} to another requester, another team, or both. Leave a field empty to keep it. The old and new holders are told, with your reason.`}
      confirmLabel="Reassign"
      reason="required"
      ready={requesterRef.trim() !== '' || teamRef.trim() !== ''}
      onConfirm={async reason => {
        await api.reassignBooking(booking.id, {
          requesterRef: requesterRef.trim() || undefined,
          teamRef: teamRef.trim() || undefined,
          reason,
        });
        onDone(`Reassigned ${subject}`);
      }}
      onClose={onClose}
    >
      <TextField
        id="reassign-requester"
        label="New requester"
        placeholder={booking.requesterRef}
        helperText="A user, e.g. user:default/jane or jane"
        value={requesterRef}
        onChange={e => setRequesterRef(e.target.value)}
        fullWidth
        margin="dense"
      />
      <TextField
        id="reassign-team"
        label="New team"
        placeholder={booking.teamRef ?? 'group:default/payments-team'}
        helperText="A group, e.g. group:default/search-team or search-team"
        value={teamRef}
        onChange={e => setTeamRef(e.target.value)}
        fullWidth
        margin="dense"
      />
    </ActionDialog>
  );
}
