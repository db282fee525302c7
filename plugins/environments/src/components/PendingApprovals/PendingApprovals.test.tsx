import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { environmentsApiRef } from '../../api';
import { booking, fakeEnvironmentsApi, qa1 } from '../fixtures';
import { PendingApprovals } from './PendingApprovals';

describe('PendingApprovals', () => {
  it('lists future pending bookings and sends the decision', async () => {
    const pending = {
      ...booking,
      status: 'pending' as const,
      title: 'Staging soak',
    };
    const fake = fakeEnvironmentsApi([qa1], undefined, [pending]);
    const onDecided = jest.fn();
    await renderInTestApp(
      <TestApiProvider apis={[[environmentsApiRef, fake.api]]}>
        <PendingApprovals onDecided={onDecided} />
      </TestApiProvider>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );

    expect(await screen.findByText(/Staging soak/)).toBeInTheDocument();
    expect(fake.listed).toEqual([
      { status: ['pending'], from: expect.any(String) },
    ]);
    fireEvent.click(screen.getByRole('button', { name: 'Approve' }));
    await waitFor(() => expect(onDecided).toHaveBeenCalled());
    expect(fake.decided).toEqual([
      { id: 'b-1', decision: 'approve', note: undefined },
    ]);
  });

  it('shows nothing when no booking waits', async () => {
    await renderInTestApp(
      <TestApiProvider
        apis={[[environmentsApiRef, fakeEnvironmentsApi([qa1]).api]]}
      >
        <PendingApprovals onDecided={jest.fn()} />
      </TestApiProvider>,
    );
    await waitFor(() =>
      expect(
        screen.queryByText('Waiting for approval'),
      ).not.toBeInTheDocument(),
    );
  });
});
