import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { EntitySlos } from '@internal/plugin-environments-common';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { EnvironmentsApi, environmentsApiRef } from '../../api';
import { component, entitySlos, fakeEnvironmentsApi } from '../fixtures';
import { EntitySlosContent } from './EntitySlosContent';

async function renderTab(
  api: EnvironmentsApi,
  entity = component,
): Promise<void> {
  await renderInTestApp(
    <TestApiProvider apis={[[environmentsApiRef, api]]}>
      <EntityProvider entity={entity}>
        <EntitySlosContent />
      </EntityProvider>
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

describe('EntitySlosContent', () => {
  it('shows each objective with its SLI, budget, burn rates and the broken files', async () => {
    await renderTab(fakeEnvironmentsApi([]).api);
    expect(
      await screen.findByText('Payments availability'),
    ).toBeInTheDocument();
    const objective = screen.getByTestId(
      'objective-payments-availability-99.9%',
    );
    expect(within(objective).getByText('99.898%')).toBeInTheDocument();
    expect(within(objective).getByText('-2.0%')).toBeInTheDocument();
    expect(within(objective).getByText('budget spent')).toBeInTheDocument();
    expect(within(objective).getByText('Breached')).toBeInTheDocument();
    expect(
      within(objective).getByRole('meter', { name: 'Error budget left' }),
    ).toHaveAttribute('aria-valuenow', '-2');
    // The 1h/5m row is quiet, the others fire.
    const table = within(objective).getByRole('table', {
      name: 'Burn rates of 99.9%',
    });
    expect(within(table).getByText('1h / 5m').closest('tr')).toHaveTextContent(
      'page, quiet',
    );
    expect(within(table).getByText('6h / 30m').closest('tr')).toHaveTextContent(
      'page firing',
    );
    expect(within(table).getAllByText('ticket firing')).toHaveLength(2);
    expect(
      screen.getByText(/must be one of Occurrences, Timeslices/),
    ).toHaveTextContent(
      'slo/payments/broken.yaml, line 6, spec.budgetingMethod: must be one of',
    );
  });

  it('asks again for the environment chosen', async () => {
    const fake = fakeEnvironmentsApi([]);
    await renderTab(fake.api);
    await screen.findByText('Payments availability');
    fireEvent.mouseDown(screen.getByLabelText('Environment'));
    fireEvent.click(
      await screen.findByRole('option', { name: 'Production EU' }),
    );
    await waitFor(() =>
      expect(fake.sloRequests).toContainEqual({
        entityRef: 'component:default/payments-api',
        environment: 'prod-eu',
      }),
    );
  });

  it('says when no SLI source is configured, and when values are stale', async () => {
    const notConfigured: EntitySlos = {
      ...entitySlos,
      sources: [],
      problems: [],
      items: [
        {
          ...entitySlos.items[0],
          objectives: [],
          status: 'no-data',
          source: {
            type: 'prometheus',
            status: 'not-configured',
            reason: 'no SLI source for "prometheus" is configured',
            queries: 0,
          },
        },
      ],
    };
    await renderTab({
      ...fakeEnvironmentsApi([]).api,
      getEntitySlos: async () => notConfigured,
    });
    expect(
      await screen.findByText(/No SLI source is configured in the backend/),
    ).toBeInTheDocument();
  });

  it('marks last known values as stale with the reason', async () => {
    const stale: EntitySlos = {
      ...entitySlos,
      items: [
        {
          ...entitySlos.items[0],
          source: {
            ...entitySlos.items[0].source,
            status: 'stale',
            reason: 'Prometheus query failed: no answer within 10000 ms',
          },
        },
      ],
    };
    await renderTab({
      ...fakeEnvironmentsApi([]).api,
      getEntitySlos: async () => stale,
    });
    expect(
      await screen.findByText(/Showing the last known values/),
    ).toHaveTextContent('no answer within 10000 ms');
  });

  it('names the missing annotation when the entity links no SLO files', async () => {
    await renderTab(fakeEnvironmentsApi([]).api, {
      ...component,
      metadata: { name: 'bare', namespace: 'default' },
    });
    expect(
      (await screen.findAllByText(/openslo.dev\/slo-files/)).length,
    ).toBeGreaterThan(0);
  });
});
