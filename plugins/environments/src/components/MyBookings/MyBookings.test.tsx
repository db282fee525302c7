import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { environmentsApiRef } from '../../api';
import { booking, fakeEnvironmentsApi, qa1 } from '../fixtures';
import { MyBookings } from './MyBookings';

const HOUR = 3600_000;

async function renderMyBookings(bookings: (typeof booking)[]) {
  const fake = fakeEnvironmentsApi([qa1], undefined, bookings);
  const onChanged = jest.fn();
  await renderInTestApp(
    <TestApiProvider apis={[[environmentsApiRef, fake.api]]}>
      <MyBookings version={0} onChanged={onChanged} />
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
  return { fake, onChanged };
}

describe('MyBookings', () => {
  // Running since an hour ago, for three more.
  const running = {
    ...booking,
    start: new Date(Date.now() - HOUR).toISOString(),
    end: new Date(Date.now() + 3 * HOUR).toISOString(),
  };

  it('asks to release or keep a booking offered for release as idle, and keeps it', async () => {
    const { fake, onChanged } = await renderMyBookings([
      { ...running, idleOfferedAt: new Date().toISOString() },
    ]);
    const item = (await screen.findByText(/Idle — release or keep/)).closest(
      'li',
    )!;
    expect(
      within(item).getByRole('button', { name: 'Release' }),
    ).toBeInTheDocument();
    fireEvent.click(within(item).getByRole('button', { name: 'Keep' }));
    await waitFor(() => expect(onChanged).toHaveBeenCalled());
    expect(fake.kept).toEqual(['b-1']);
  });

  it('offers no keep for a booking without an idle offer', async () => {
    await renderMyBookings([running]);
    expect(
      await screen.findByRole('button', { name: 'Release' }),
    ).toBeInTheDocument();
    expect(
      screen.queryByText(/Idle — release or keep/),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Keep' }),
    ).not.toBeInTheDocument();
  });
});
