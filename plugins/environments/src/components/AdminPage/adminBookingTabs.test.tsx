import { alertApiRef } from '@backstage/core-plugin-api';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { environmentsApiRef } from '../../api';
import {
  auditEvent,
  blackout,
  booking,
  fakeEnvironmentsApi,
  qa1,
  staging,
} from '../fixtures';
import { AuditLogTab } from './AuditLogTab';
import { BlackoutsAdminTab } from './BlackoutsAdminTab';
import { BookingsAdminTab } from './BookingsAdminTab';

const pendingBooking = {
  ...booking,
  id: 'b-pending',
  title: 'Load test',
  status: 'pending' as const,
};

/** A tab with the fake API (an approved and a pending booking) and a recording alert API. */
async function renderTab(
  element: JSX.Element,
  fake = fakeEnvironmentsApi([qa1, staging]),
) {
  fake.api.listBookings = async filter =>
    [booking, pendingBooking].filter(b => filter.status?.includes(b.status));
  const alerts: string[] = [];
  const alertApi = {
    post: (alert: { message: string }) => alerts.push(alert.message),
    alert$: () => ({ subscribe: () => ({ unsubscribe() {} }) }),
  } as unknown as typeof alertApiRef.T;
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [environmentsApiRef, fake.api],
        [alertApiRef, alertApi],
      ]}
    >
      {element}
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
  return { ...fake, alerts };
}

describe('BookingsAdminTab', () => {
  it('approves from the queue with a note', async () => {
    const fake = await renderTab(<BookingsAdminTab />);
    const queue = await screen.findByRole('table', {
      name: 'Bookings waiting for approval',
    });
    expect(within(queue).getByText(/Load test/)).toBeInTheDocument();
    fireEvent.click(
      within(queue).getByRole('button', { name: 'Approve Load test' }),
    );
    const form = await screen.findByRole('form', {
      name: 'Approve "Load test"',
    });
    fireEvent.change(within(form).getByLabelText(/Note/), {
      target: { value: 'Release train 42' },
    });
    fireEvent.click(within(form).getByRole('button', { name: 'Approve' }));

    await waitFor(() =>
      expect(fake.decided).toEqual([
        { id: 'b-pending', decision: 'approve', note: 'Release train 42' },
      ]),
    );
    expect(fake.alerts).toEqual(['Approved "Load test"']);
  });

  it('force-releases only with a reason', async () => {
    const fake = await renderTab(<BookingsAdminTab />);
    const active = await screen.findByRole('table', {
      name: 'Running and upcoming bookings',
    });
    fireEvent.click(
      within(active).getByRole('button', {
        name: `Force release ${booking.title}`,
      }),
    );
    const form = await screen.findByRole('form', {
      name: `Force release "${booking.title}"`,
    });
    const confirm = within(form).getByRole('button', {
      name: 'Force release',
    });
    expect(confirm).toBeDisabled();
    fireEvent.change(within(form).getByLabelText(/Reason/), {
      target: { value: '   ' },
    });
    expect(confirm).toBeDisabled();
    fireEvent.change(within(form).getByLabelText(/Reason/), {
      target: { value: ' Needed for the incident ' },
    });
    fireEvent.click(confirm);

    await waitFor(() =>
      expect(fake.adminCalls).toEqual([
        ['forceReleaseBooking', booking.id, 'Needed for the incident'],
      ]),
    );
    expect(fake.alerts).toEqual([`"${booking.title}" is released`]);
    await waitFor(() =>
      expect(
        screen.queryByRole('form', { name: /Force release/ }),
      ).not.toBeInTheDocument(),
    );
  });

  it('reassigns to a new holder, and keeps the dialog open with the reason of a refusal', async () => {
    const fake = fakeEnvironmentsApi([qa1]);
    const tries: unknown[] = [];
    fake.api.reassignBooking = async (id, request) => {
      tries.push(request);
      if (tries.length === 1) {
        throw new Error('No user:default/nobody in the catalog');
      }
      return { ...booking, ...request, id };
    };
    await renderTab(<BookingsAdminTab />, fake);
    fireEvent.click(
      await screen.findByRole('button', { name: `Reassign ${booking.title}` }),
    );
    const form = await screen.findByRole('form', {
      name: `Reassign "${booking.title}"`,
    });
    const confirm = within(form).getByRole('button', { name: 'Reassign' });
    fireEvent.change(within(form).getByLabelText(/Reason/), {
      target: { value: 'Alice is on leave' },
    });
    // A reason alone is not enough: a new requester or team is needed.
    expect(confirm).toBeDisabled();
    fireEvent.change(within(form).getByLabelText(/New requester/), {
      target: { value: 'nobody' },
    });
    fireEvent.click(confirm);
    expect(
      await within(form).findByText('No user:default/nobody in the catalog'),
    ).toBeInTheDocument();

    fireEvent.change(within(form).getByLabelText(/New requester/), {
      target: { value: 'user:default/bob' },
    });
    fireEvent.change(within(form).getByLabelText(/New team/), {
      target: { value: 'search-team' },
    });
    fireEvent.click(confirm);
    await waitFor(() =>
      expect(
        screen.queryByRole('form', { name: /Reassign/ }),
      ).not.toBeInTheDocument(),
    );
    expect(tries).toEqual([
      { requesterRef: 'nobody', reason: 'Alice is on leave' },
      {
        requesterRef: 'user:default/bob',
        teamRef: 'search-team',
        reason: 'Alice is on leave',
      },
    ]);
  });
});

describe('BlackoutsAdminTab', () => {
  const withSeries = () => {
    const fake = fakeEnvironmentsApi([qa1, staging]);
    fake.api.listBlackouts = async () => [blackout];
    return fake;
  };

  it('lists blackouts with their rule and creates a weekly one', async () => {
    const fake = await renderTab(<BlackoutsAdminTab />, withSeries());
    const table = await screen.findByRole('table', {
      name: 'Blackouts and maintenance windows',
    });
    expect(within(table).getByText('Release freeze')).toBeInTheDocument();
    expect(within(table).getByText('Checkout QA 1')).toBeInTheDocument();
    expect(within(table).getByText(blackout.rrule!)).toBeInTheDocument();

    fireEvent.click(screen.getByRole('button', { name: 'New blackout' }));
    const form = await screen.findByRole('form', { name: 'New blackout' });
    fireEvent.change(within(form).getByLabelText(/Title/), {
      target: { value: 'Friday freeze' },
    });
    fireEvent.change(within(form).getByLabelText(/^Start/), {
      target: { value: '2026-12-04T16:00' },
    });
    fireEvent.change(within(form).getByLabelText(/^End/), {
      target: { value: '2026-12-04T20:00' },
    });
    fireEvent.mouseDown(within(form).getByLabelText(/Repeat/));
    fireEvent.click(await screen.findByRole('option', { name: 'Weekly' }));
    fireEvent.change(within(form).getByLabelText(/Occurrences/), {
      target: { value: '3' },
    });
    fireEvent.click(within(form).getByRole('button', { name: 'Create' }));

    await waitFor(() => expect(fake.adminCalls).toHaveLength(1));
    expect(fake.adminCalls[0]).toEqual([
      'createBlackout',
      {
        scope: 'environment',
        scopeKey: qa1.entityRef,
        kind: 'blackout',
        title: 'Friday freeze',
        start: new Date('2026-12-04T16:00').toISOString(),
        end: new Date('2026-12-04T20:00').toISOString(),
        rrule: 'FREQ=WEEKLY;COUNT=3',
      },
    ]);
    expect(fake.alerts).toEqual(['Saved blackout "Friday freeze"']);
  });

  it('edits an occurrence of a series keeping its rule, and deletes one', async () => {
    const fake = await renderTab(<BlackoutsAdminTab />, withSeries());
    fireEvent.click(
      await screen.findByRole('button', { name: 'Edit Release freeze' }),
    );
    const form = await screen.findByRole('form', {
      name: 'Edit Release freeze',
    });
    expect(
      within(form).getByText(/apply to it and the later occurrences/),
    ).toBeInTheDocument();
    fireEvent.mouseDown(within(form).getByLabelText(/Kind/));
    fireEvent.click(
      await screen.findByRole('option', { name: 'Maintenance window' }),
    );
    fireEvent.click(within(form).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(fake.adminCalls).toHaveLength(1));
    expect(fake.adminCalls[0]).toEqual([
      'updateBlackout',
      'x-1',
      expect.objectContaining({
        kind: 'maintenance',
        title: 'Release freeze',
        start: blackout.start,
        end: blackout.end,
        rrule: blackout.rrule,
      }),
    ]);

    fireEvent.click(
      await screen.findByRole('button', { name: 'Delete Release freeze' }),
    );
    const confirm = await screen.findByRole('form', {
      name: 'Delete Release freeze',
    });
    expect(
      within(confirm).getByText(/and the later occurrences/),
    ).toBeInTheDocument();
    fireEvent.click(within(confirm).getByRole('button', { name: 'Delete' }));
    await waitFor(() =>
      expect(fake.adminCalls[1]).toEqual(['deleteBlackout', 'x-1']),
    );
  });

  it('shows the backend reason when a blackout is refused', async () => {
    const fake = fakeEnvironmentsApi([qa1]);
    fake.api.createBlackout = async () => {
      throw new Error('rrule: a series may have at most 100 occurrences');
    };
    await renderTab(<BlackoutsAdminTab />, fake);
    fireEvent.click(
      await screen.findByRole('button', { name: 'New blackout' }),
    );
    const form = await screen.findByRole('form', { name: 'New blackout' });
    fireEvent.change(within(form).getByLabelText(/Title/), {
      target: { value: 'Too long' },
    });
    fireEvent.click(within(form).getByRole('button', { name: 'Create' }));
    expect(
      await within(form).findByText(
        'rrule: a series may have at most 100 occurrences',
      ),
    ).toBeInTheDocument();
  });
});

describe('AuditLogTab', () => {
  it('shows events, filters them and exports the filtered log as CSV', async () => {
    const saved: Blob[] = [];
    const createObjectURL = jest.fn((blob: Blob) => {
      saved.push(blob);
      return 'blob:audit';
    });
    Object.assign(URL, { createObjectURL, revokeObjectURL: jest.fn() });
    const click = jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(() => {});
    const fake = await renderTab(<AuditLogTab />);

    const table = await screen.findByRole('table', { name: 'Audit events' });
    expect(
      within(table).getByText('booking-force-release (admin override)'),
    ).toBeInTheDocument();
    expect(within(table).getByText(auditEvent.reason!)).toBeInTheDocument();
    // One event: no older page.
    expect(screen.getByRole('button', { name: 'Older' })).toBeDisabled();

    const form = screen.getByRole('form', { name: 'Audit log filters' });
    fireEvent.mouseDown(within(form).getByLabelText(/Environment/));
    fireEvent.click(await screen.findByRole('option', { name: 'Staging EU' }));
    fireEvent.change(within(form).getByLabelText(/User/), {
      target: { value: 'user:default/admin' },
    });
    fireEvent.change(within(form).getByLabelText(/Action/), {
      target: { value: ' booking-reassign ' },
    });
    fireEvent.change(within(form).getByLabelText(/From/), {
      target: { value: '2026-11-01T00:00' },
    });
    fireEvent.click(within(form).getByRole('button', { name: 'Apply' }));
    const filter = {
      environmentRef: staging.entityRef,
      actorRef: 'user:default/admin',
      action: 'booking-reassign',
      from: new Date('2026-11-01T00:00').toISOString(),
      to: undefined,
    };
    await waitFor(() =>
      expect(fake.adminCalls).toContainEqual([
        'listAuditEvents',
        { ...filter, limit: 50, offset: 0 },
      ]),
    );

    fireEvent.click(screen.getByRole('button', { name: 'Export CSV' }));
    await waitFor(() => expect(click).toHaveBeenCalled());
    expect(fake.adminCalls).toContainEqual(['getAuditCsv', filter]);
    expect(await saved[0].text()).toBe('at,actor\r\n');
    expect(saved[0].type).toBe('text/csv;charset=utf-8');
    click.mockRestore();
  });
});
