import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { environmentsApiRef } from '../../api';
import { component, fakeEnvironmentsApi, qa1 } from '../fixtures';
import { EntitySlosContent } from './EntitySlosContent';

describe('EntitySlosContent', () => {
  it('shows where the SLO definitions are and the environments they can be scoped to', async () => {
    await renderInTestApp(
      <TestApiProvider
        apis={[[environmentsApiRef, fakeEnvironmentsApi([qa1]).api]]}
      >
        <EntityProvider entity={component}>
          <EntitySlosContent />
        </EntityProvider>
      </TestApiProvider>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );
    expect(await screen.findByText('./slo/*.yaml')).toBeInTheDocument();
    expect(await screen.findByText('Checkout QA 1')).toBeInTheDocument();
  });

  it('names the missing annotation when the entity links no SLO files', async () => {
    const bare = {
      ...component,
      metadata: { name: 'bare', namespace: 'default' },
    };
    await renderInTestApp(
      <TestApiProvider
        apis={[[environmentsApiRef, fakeEnvironmentsApi([]).api]]}
      >
        <EntityProvider entity={bare}>
          <EntitySlosContent />
        </EntityProvider>
      </TestApiProvider>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );
    expect(
      (await screen.findAllByText(/openslo.dev\/slo-files/)).length,
    ).toBeGreaterThan(0);
  });
});
