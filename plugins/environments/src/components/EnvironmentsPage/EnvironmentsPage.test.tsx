import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import { environmentsApiRef } from '../../api';
import { fakeEnvironmentsApi, qa1, staging } from '../fixtures';
import { EnvironmentsPage } from './EnvironmentsPage';

describe('EnvironmentsPage', () => {
  it('lists every environment with a per-tier summary', async () => {
    const fake = fakeEnvironmentsApi([
      qa1,
      {
        ...qa1,
        entityRef: 'resource:default/qa-2',
        name: 'qa-2',
        title: 'QA 2',
        status: 'retired',
      },
      staging,
    ]);
    await renderInTestApp(
      <TestApiProvider apis={[[environmentsApiRef, fake.api]]}>
        <EnvironmentsPage />
      </TestApiProvider>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );

    expect(await screen.findByText('All environments')).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'Checkout QA 1' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('group', { name: 'Timeline of Checkout QA 1' }),
    ).toBeInTheDocument();
    expect(screen.getByText('Retired')).toBeInTheDocument();
    const summary = screen.getByLabelText('Environments by tier');
    expect(within(summary).getByText('2')).toBeInTheDocument();
    expect(within(summary).getByText('1 available')).toBeInTheDocument();
    expect(within(summary).getByText('0 available')).toBeInTheDocument();
    expect(fake.calls).toEqual([undefined]);
  });
});
