import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { environmentsApiRef } from '../../api';
import {
  component,
  fakeEnvironmentsApi,
  perfLab,
  qa1,
  staging,
} from '../fixtures';
import { EntityEnvironmentsContent } from './EntityEnvironmentsContent';

async function renderTab(api: ReturnType<typeof fakeEnvironmentsApi>['api']) {
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [environmentsApiRef, api],
        [permissionApiRef, mockApis.permission()],
      ]}
    >
      <EntityProvider entity={component}>
        <EntityEnvironmentsContent />
      </EntityProvider>
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

describe('EntityEnvironmentsContent', () => {
  it('asks for the environments of the page entity and lists them', async () => {
    const fake = fakeEnvironmentsApi([qa1, staging]);
    await renderTab(fake.api);

    expect(await screen.findByText('Checkout QA 1')).toBeInTheDocument();
    expect(screen.getByText('Staging EU')).toBeInTheDocument();
    expect(screen.getByText('In maintenance')).toBeInTheDocument();
    expect(screen.getByText('Shared, 3 slots')).toBeInTheDocument();
    // Their health, as the health checks last found it.
    expect(
      screen.getByRole('img', { name: 'Health: up, since 3 h ago' }),
    ).toHaveTextContent('Up');
    expect(
      screen.getByRole('img', {
        name: 'Health: down — answered 503, since 10 min ago',
      }),
    ).toHaveTextContent('Down');
    // What the component runs there, with drift against production, and its pipelines.
    expect(screen.getByText('1.4.0')).toBeInTheDocument();
    expect(
      screen.getByLabelText('Drift: 1.3.2 in the reference environment'),
    ).toBeInTheDocument();
    expect(
      await screen.findByRole('table', { name: 'Latest GitHub runs' }),
    ).toBeInTheDocument();
    expect(fake.calls).toEqual([
      { entityRef: 'component:default/payments-api' },
    ]);
  });

  it('shows no health for an environment without a health check', async () => {
    await renderTab(fakeEnvironmentsApi([perfLab]).api);
    expect(await screen.findByText('Perf Lab')).toBeInTheDocument();
    expect(screen.getByText('Available')).toBeInTheDocument();
    expect(screen.queryByRole('img', { name: /^Health:/ })).toBeNull();
  });

  it('explains how to link environments when there are none', async () => {
    await renderTab(fakeEnvironmentsApi([]).api);
    expect(
      await screen.findByText('This component runs in no known environment'),
    ).toBeInTheDocument();
  });

  it('shows the error when the backend fails', async () => {
    await renderTab(fakeEnvironmentsApi(new Error('backend unreachable')).api);
    expect(
      (await screen.findAllByText(/backend unreachable/)).length,
    ).toBeGreaterThan(0);
  });
});
