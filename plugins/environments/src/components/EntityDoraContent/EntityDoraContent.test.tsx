import {
  entityRouteRef,
  EntityProvider,
} from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { EnvironmentsApi, environmentsApiRef } from '../../api';
import { component, fakeEnvironmentsApi } from '../fixtures';
import { EntityDoraContent } from './EntityDoraContent';

const DAY_MS = 24 * 3600_000;

async function renderTab(api: EnvironmentsApi) {
  await renderInTestApp(
    <TestApiProvider apis={[[environmentsApiRef, api]]}>
      <EntityProvider entity={component}>
        <EntityDoraContent />
      </EntityProvider>
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

/** Chooses an option of the MUI select labelled `label`. */
async function choose(label: string, option: string) {
  fireEvent.mouseDown(screen.getByLabelText(label));
  fireEvent.click(await screen.findByRole('option', { name: option }));
}

describe('EntityDoraContent', () => {
  it('shows each metric with its value, band and sample, and the change-failure definition', async () => {
    const { api, doraQueries } = fakeEnvironmentsApi([]);
    await renderTab(api);
    const frequency = await screen.findByRole('group', {
      name: 'Deployment frequency',
    });
    expect(within(frequency).getByText('2.8 per week')).toBeInTheDocument();
    expect(within(frequency).getByText('High')).toBeInTheDocument();
    expect(frequency).toHaveTextContent('from 12 successful deployments');
    const lead = screen.getByRole('group', { name: 'Lead time for changes' });
    expect(within(lead).getByText('5.5 h')).toBeInTheDocument();
    expect(within(lead).getByText('Elite')).toBeInTheDocument();
    const failures = screen.getByRole('group', { name: 'Change failure rate' });
    expect(within(failures).getByText('25%')).toBeInTheDocument();
    expect(failures).toHaveTextContent(
      'from 16 finished deployments (4 failed)',
    );
    const restore = screen.getByRole('group', { name: 'Time to restore' });
    expect(within(restore).getByText('—')).toBeInTheDocument();
    expect(within(restore).getByText('No data')).toBeInTheDocument();
    expect(
      screen.getByText(
        /within 24 hour\(s\) after it, it or the next deployment/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/DORA Accelerate State of DevOps Report 2023/),
    ).toBeInTheDocument();
    // The production environments over the last 30 days, for this component.
    expect(screen.getByLabelText('Environment')).toHaveTextContent(
      'Production environments',
    );
    expect(screen.getByLabelText('Period')).toHaveTextContent('Last 30 days');
    expect(doraQueries).toHaveLength(1);
    expect(doraQueries[0]).toMatchObject({
      entityRef: 'component:default/payments-api',
      environment: undefined,
    });
    expect(
      Date.parse(doraQueries[0].to!) - Date.parse(doraQueries[0].from!),
    ).toBe(30 * DAY_MS);
  });

  it('asks again for the period and environment chosen', async () => {
    const { api, doraQueries } = fakeEnvironmentsApi([]);
    await renderTab(api);
    await screen.findByRole('group', { name: 'Deployment frequency' });

    await choose('Period', 'Last 7 days');
    await waitFor(() => expect(doraQueries).toHaveLength(2));
    expect(
      Date.parse(doraQueries[1].to!) - Date.parse(doraQueries[1].from!),
    ).toBe(7 * DAY_MS);

    await choose('Environment', 'Staging EU (staging)');
    await waitFor(() => expect(doraQueries).toHaveLength(3));
    expect(doraQueries[2]).toMatchObject({
      environment: 'resource:default/staging-eu',
    });
  });

  it('shows why when the metrics cannot be read', async () => {
    const { api } = fakeEnvironmentsApi([]);
    await renderTab({
      ...api,
      getDoraMetrics: async () => {
        throw new Error('No entity component:default/payments-api');
      },
    });
    expect(
      await screen.findByText(
        'Error: No entity component:default/payments-api',
      ),
    ).toBeInTheDocument();
  });
});
