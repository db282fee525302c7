import { renderTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { screen } from '@testing-library/react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { mockApis } from '@backstage/test-utils';
import { environmentsAdminPage, environmentsPage } from './alpha';
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
