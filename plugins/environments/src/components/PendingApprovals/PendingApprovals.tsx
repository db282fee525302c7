import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { Booking } from '@internal/plugin-environments-common';
import Button from '@material-ui/core/Button';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemSecondaryAction from '@material-ui/core/ListItemSecondaryAction';
import ListItemText from '@material-ui/core/ListItemText';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { environmentsApiRef } from '../../api';
import { formatDateTime } from '../time';
import { BookingSubject, errorMessage } from '../BookingSubject';

/**
 * Bookings waiting for approval, with Approve and Reject. Everyone sees the queue; the backend
 * lets only the environment's owner group (or admins) decide.
 */
export function PendingApprovals(props: { onDecided: () => void }) {
  const api = useApi(environmentsApiRef);
  const alertApi = useApi(alertApiRef);
  const { value, loading, error, retry } = useAsyncRetry(
    () =>
      api.listBookings({ status: ['pending'], from: new Date().toISOString() }),
    [api],
  );

  async function decide(booking: Booking, decision: 'approve' | 'reject') {
    try {
      await api.decideBooking(booking.id, decision);
      alertApi.post({
        message: `${decision === 'approve' ? 'Approved' : 'Rejected'} "${
          booking.title
        }"`,
        severity: 'success',
        display: 'transient',
      });
    } catch (e) {
      const message = errorMessage(e);
      alertApi.post({
        message: `Could not ${decision}: ${message}`,
        severity: 'error',
      });
    }
    retry();
    props.onDecided();
  }

  if (loading && !value) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  if (!value?.length) return null;
  return (
    <InfoCard title="Waiting for approval">
      <List dense aria-label="Bookings waiting for approval">
        {value.map(booking => (
          <ListItem key={booking.id}>
            <ListItemText
              primary={
                <BookingSubject
                  title={booking.title}
                  environmentRef={booking.environmentRef}
                />
              }
              secondary={
                <>
                  <EntityRefLink
                    entityRef={booking.requesterRef}
                    defaultKind="user"
                  />
                  , {formatDateTime(booking.start)} –{' '}
                  {formatDateTime(booking.end)}
                </>
              }
            />
            <ListItemSecondaryAction>
              <Button
                size="small"
                color="primary"
                onClick={() => decide(booking, 'approve')}
              >
                Approve
              </Button>
              <Button size="small" onClick={() => decide(booking, 'reject')}>
                Reject
              </Button>
            </ListItemSecondaryAction>
          </ListItem>
        ))}
      </List>
    </InfoCard>
  );
}
