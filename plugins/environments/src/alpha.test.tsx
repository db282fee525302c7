import { renderTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { screen } from '@testing-library/react';
import { environmentsPage } from './alpha';
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
