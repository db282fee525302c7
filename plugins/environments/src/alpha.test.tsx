import { coreExtensionData } from '@backstage/frontend-plugin-api';
import {
  createExtensionTester,
  renderInTestApp,
  renderTestApp,
} from '@backstage/frontend-test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { screen } from '@testing-library/react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { mockApis } from '@backstage/test-utils';
import {
  entityTeamEnvironmentsContent,
  environmentsAdminPage,
  environmentsPage,
} from './alpha';
import { environmentsApiRef } from './api';
import { fakeEnvironmentsApi, qa1 } from './components/fixtures';

describe('new frontend system extensions', () => {
  it('serves the Environments page at /environments', async () => {
    renderTestApp({
      extensions: [environmentsPage],
      apis: [[environmentsApiRef, fakeEnvironmentsApi([qa1]).api]],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      initialRouteEntries: ['/environments'],
    });
    expect(await screen.findByText('All environments')).toBeInTheDocument();
    expect(
      await screen.findByRole('link', { name: 'Checkout QA 1' }),
    ).toBeInTheDocument();
  });
});

describe('the administration page extension', () => {
  it('serves /environments-admin and refuses those without the admin permission', async () => {
    renderTestApp({
      extensions: [environmentsAdminPage],
      apis: [
        [environmentsApiRef, fakeEnvironmentsApi([qa1]).api],
        [
          permissionApiRef,
          mockApis.permission({ authorize: AuthorizeResult.DENY }),
        ],
      ],
      initialRouteEntries: ['/environments-admin'],
    });
    expect(
      await screen.findByText(
        'Not allowed: the administration page needs the environments admin permission',
      ),
    ).toBeInTheDocument();
  });
});

describe('the Group page tab extension', () => {
  it('is for groups, at /environments, and shows the team overview of the page group', async () => {
    const tester = createExtensionTester(entityTeamEnvironmentsContent);
    expect(tester.get(EntityContentBlueprint.dataRefs.filterExpression)).toBe(
      'kind:group',
    );
    expect(tester.get(coreExtensionData.routePath)).toBe('/environments');

    renderInTestApp(
      <EntityProvider
        entity={{
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Group',
          metadata: { name: 'payments-team', namespace: 'default' },
          spec: { type: 'team', children: [] },
        }}
      >
        {tester.reactElement()}
      </EntityProvider>,
      {
        apis: [[environmentsApiRef, fakeEnvironmentsApi([qa1]).api]],
        mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      },
    );
    expect(
      await screen.findByRole('table', { name: 'Environments the team owns' }),
    ).toHaveTextContent('Checkout QA 1');
  });
});
