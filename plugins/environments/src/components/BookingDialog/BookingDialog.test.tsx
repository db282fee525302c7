import { identityApiRef } from '@backstage/core-plugin-api';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Environment } from '@internal/plugin-environments-common';
import { BookingConflictError, environmentsApiRef } from '../../api';
import { EnvironmentsTable } from '../EnvironmentsTable';
import { booking, fakeEnvironmentsApi, qa1 } from '../fixtures';

const conflict = new BookingConflictError({
  error: {
    name: 'ConflictError',
    message: 'resource:default/checkout-qa-1 is already booked in that time',
  },
  conflicts: [booking],
  nextFreeSlot: {
    start: '2026-12-01T17:00:00.000Z',
    end: '2026-12-01T19:00:00.000Z',
  },
});

async function renderTable(
  fake: ReturnType<typeof fakeEnvironmentsApi>,
  onChanged = jest.fn(),
  environment: Environment = qa1,
) {
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [environmentsApiRef, fake.api],
        [
          identityApiRef,
          mockApis.identity({ userEntityRef: 'user:default/alice' }),
        ],
      ]}
    >
      <EnvironmentsTable
        title="Environments"
        environments={[
          { ...environment, currentBooking: booking, upcomingBookings: [] },
        ]}
        onChanged={onChanged}
      />
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
  return onChanged;
}

describe('booking from the environments table', () => {
  it('sends the form as a booking request with UTC times and reloads the list', async () => {
    const fake = fakeEnvironmentsApi([qa1]);
    const onChanged = await renderTable(fake);

    fireEvent.click(await screen.findByRole('button', { name: 'Book' }));
    const form = await screen.findByRole('form', {
      name: 'Book Checkout QA 1',
    });
    fireEvent.change(within(form).getByLabelText(/Title/), {
      target: { value: 'Smoke test' },
    });
    fireEvent.change(within(form).getByLabelText(/Start/), {
      target: { value: '2026-12-02T09:00' },
    });
    fireEvent.change(within(form).getByLabelText(/End/), {
      target: { value: '2026-12-02T11:00' },
    });
    fireEvent.click(within(form).getByRole('button', { name: 'Book' }));

    await waitFor(() => expect(onChanged).toHaveBeenCalled());
    expect(fake.created).toEqual([
      expect.objectContaining({
        environmentRef: 'resource:default/checkout-qa-1',
        title: 'Smoke test',
        purpose: 'testing',
        start: new Date('2026-12-02T09:00').toISOString(),
        end: new Date('2026-12-02T11:00').toISOString(),
      }),
    ]);
  });

  it('explains a conflict and fills in the next free slot on request', async () => {
    const fake = fakeEnvironmentsApi([qa1], async () => {
      throw conflict;
    });
    await renderTable(fake);

    fireEvent.click(await screen.findByRole('button', { name: 'Book' }));
    const form = await screen.findByRole('form', {
      name: 'Book Checkout QA 1',
    });
    fireEvent.change(within(form).getByLabelText(/Title/), {
      target: { value: 'Smoke test' },
    });
    fireEvent.click(within(form).getByRole('button', { name: 'Book' }));

    const alert = await within(form).findByRole('alert');
    expect(alert).toHaveTextContent('is already booked in that time');
    expect(alert).toHaveTextContent('Release 42 regression');
    fireEvent.click(
      within(alert).getByRole('button', { name: /Use the next free slot/ }),
    );
    expect(within(form).getByLabelText(/Start/)).toHaveValue(
      localInput('2026-12-01T17:00:00.000Z'),
    );
    expect(within(form).getByLabelText(/End/)).toHaveValue(
      localInput('2026-12-01T19:00:00.000Z'),
    );
  });

  it('books a weekly series and warns early when the time is taken', async () => {
    const fake = fakeEnvironmentsApi([qa1], undefined, [booking]);
    await renderTable(fake);

    fireEvent.click(await screen.findByRole('button', { name: 'Book' }));
    const form = await screen.findByRole('form', {
      name: 'Book Checkout QA 1',
    });
    // The fake lists an approved booking for any window, so the early warning shows.
    expect(
      await within(form).findByText(/Already booked in this time/),
    ).toHaveTextContent('Release 42 regression');
    fireEvent.change(within(form).getByLabelText(/Title/), {
      target: { value: 'Weekly run' },
    });
    fireEvent.mouseDown(within(form).getByLabelText(/Repeat/));
    fireEvent.click(await screen.findByRole('option', { name: 'Weekly' }));
    fireEvent.change(within(form).getByLabelText(/Occurrences/), {
      target: { value: '6' },
    });
    fireEvent.click(within(form).getByRole('button', { name: 'Book' }));

    await waitFor(() => expect(fake.created).toHaveLength(1));
    expect(fake.created[0]).toMatchObject({
      title: 'Weekly run',
      rrule: 'FREQ=WEEKLY;COUNT=6',
    });
  });

  it('books one component slot of a shared environment', async () => {
    const fake = fakeEnvironmentsApi([qa1]);
    const shared = {
      ...qa1,
      capacity: 3,
      componentSlots: ['component:default/payments-api'],
    };
    await renderTable(fake, jest.fn(), shared);

    fireEvent.click(await screen.findByRole('button', { name: 'Book' }));
    const form = await screen.findByRole('form', {
      name: 'Book Checkout QA 1',
    });
    fireEvent.change(within(form).getByLabelText(/Title/), {
      target: { value: 'API only' },
    });
    fireEvent.mouseDown(within(form).getByLabelText(/What to book/));
    fireEvent.click(
      await screen.findByRole('option', { name: 'Only payments-api' }),
    );
    fireEvent.click(within(form).getByRole('button', { name: 'Book' }));

    await waitFor(() => expect(fake.created).toHaveLength(1));
    expect(fake.created[0]).toMatchObject({
      componentRef: 'component:default/payments-api',
    });
  });

  it('lets the holder release their booking', async () => {
    const fake = fakeEnvironmentsApi([qa1]);
    const onChanged = await renderTable(fake);
    fireEvent.click(await screen.findByRole('button', { name: 'Release' }));
    await waitFor(() => expect(onChanged).toHaveBeenCalled());
    expect(fake.released).toEqual(['b-1']);
  });
});

function localInput(iso: string) {
  const date = new Date(iso);
  return new Date(date.getTime() - date.getTimezoneOffset() * 60_000)
    .toISOString()
    .slice(0, 16);
}
