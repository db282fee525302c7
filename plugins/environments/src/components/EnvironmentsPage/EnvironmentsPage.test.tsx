import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import { environmentsApiRef } from '../../api';
import { fakeEnvironmentsApi, perfLab, qa1, staging } from '../fixtures';
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

  it('shows the health of each environment in the table and on its timeline row', async () => {
    const fake = fakeEnvironmentsApi([qa1, staging, perfLab]);
    await renderInTestApp(
      <TestApiProvider apis={[[environmentsApiRef, fake.api]]}>
        <EnvironmentsPage />
      </TestApiProvider>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );

    await screen.findByText('All environments');
    const down = 'Health: down — answered 503, since 10 min ago';
    const stagingRow = screen.getByRole('group', {
      name: 'Timeline of Staging EU',
    });
    expect(within(stagingRow).getByRole('img', { name: down })).toBeVisible();
    // In the table, next to the status, on the row of each environment.
    const tableRow = (title: string) =>
      screen.getByRole('link', { name: title }).closest('tr')!;
    expect(
      within(tableRow('Staging EU')).getByRole('img', { name: down }),
    ).toHaveTextContent('Down');
    expect(
      within(tableRow('Checkout QA 1')).getByRole('img', {
        name: 'Health: up, since 3 h ago',
      }),
    ).toHaveTextContent('Up');
    // Perf Lab has no health-check URL: no health on its rows.
    expect(within(tableRow('Perf Lab')).queryByRole('img')).toBeNull();
    expect(
      within(
        screen.getByRole('group', { name: 'Timeline of Perf Lab' }),
      ).queryByRole('img'),
    ).toBeNull();
  });
});
