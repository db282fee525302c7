import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { Booking, Environment } from '@internal/plugin-environments-common';
import { useCallback } from 'react';
import { formatDateTime } from './time';

/** The confirmations shown after the booking dialog booked or joined the waitlist. */
export function useBookingAlerts() {
  const alertApi = useApi(alertApiRef);
  const booked = useCallback(
    (environment: Environment, booking: Booking) => {
      const name = environment.title ?? environment.name;
      alertApi.post({
        message:
          booking.status === 'pending'
            ? `Requested ${name}: waiting for approval by its owners`
            : `Booked ${name} until ${formatDateTime(booking.end)}`,
        severity: 'success',
        display: 'transient',
      });
    },
    [alertApi],
  );
  const waitlisted = useCallback(
    (environment: Environment, position: number | undefined) => {
      alertApi.post({
        message: `On the waitlist for ${environment.title ?? environment.name}${
          position ? `, position ${position}` : ''
        }: you will be notified when the slot frees up`,
        severity: 'info',
        display: 'transient',
      });
    },
    [alertApi],
  );
  return { booked, waitlisted };
}
