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
import {
  EntitySlos,
  PipelineSummary,
} from '@internal/plugin-environments-common';
import { screen, within } from '@testing-library/react';
import { EnvironmentsApi, environmentsApiRef } from '../api';
import { EntityEnvironmentsContent } from './EntityEnvironmentsContent';
import { EntitySlosContent } from './EntitySlosContent';
import {
  component,
  entityDeployments,
  entitySlos,
  fakeEnvironmentsApi,
  pipelineSummary,
  qa1,
  staging,
} from './fixtures';

// What the backend answers (200, with a status per source) while CI systems and Prometheus
// fail: the tabs must still render everything they know, and say what is old or missing.

async function render(api: EnvironmentsApi, element: JSX.Element) {
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [environmentsApiRef, api],
        [permissionApiRef, mockApis.permission()],
      ]}
    >
      <EntityProvider entity={component}>{element}</EntityProvider>
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

const minutesAgo = (minutes: number) =>
  new Date(Date.now() - minutes * 60_000).toISOString();

const [githubRuns] = pipelineSummary.providers;
const failingPipelines: PipelineSummary = {
  entityRef: 'component:default/payments-api',
  providers: [
    {
      provider: 'github',
      status: 'stale',
      reason: 'api.github.com is rate-limited until 2026-11-27T10:00:00.000Z',
      asOf: minutesAgo(5),
      defaultBranch: 'main',
      latest: githubRuns.latest,
    },
    {
      provider: 'gitlab',
      status: 'unavailable',
      reason: 'gitlab.com could not be reached (ECONNREFUSED)',
      latest: [],
    },
    {
      provider: 'jenkins',
      status: 'ok',
      asOf: minutesAgo(1),
      latest: [
        {
          ...githubRuns.latest[0],
          provider: 'jenkins',
          id: 'default:payments/payments-api#7',
          name: 'payments/payments-api',
          url: 'https://jenkins.acme.test/job/payments/job/payments-api/7/',
        },
      ],
    },
  ],
};

describe('the tabs while upstream systems fail', () => {
  it('Environments tab: lists environments and deployed versions, and marks each failing source', async () => {
    const fake = fakeEnvironmentsApi([qa1, staging]);
    await render(
      {
        ...fake.api,
        getPipelineSummary: async () => failingPipelines,
        getEntityDeployments: async () => ({
          ...entityDeployments,
          sync: [
            {
              provider: 'github',
              status: 'stale',
              reason: 'api.github.com answered 500',
              asOf: minutesAgo(30),
            },
          ],
        }),
      },
      <EntityEnvironmentsContent />,
    );

    // The environments and what runs there, marked as known from an older sync.
    expect(await screen.findByText('Checkout QA 1')).toBeInTheDocument();
    expect(screen.getByText('Staging EU')).toBeInTheDocument();
    expect(await screen.findByText('1.4.0')).toBeInTheDocument();
    expect(
      screen.getByText(/^Deployed versions: GitHub could not be reached/),
    ).toHaveTextContent(
      'Deployed versions: GitHub could not be reached (api.github.com answered 500); showing what it said 30 min ago.',
    );

    // GitHub: the last known runs, marked stale with the reason.
    const github = await screen.findByRole('table', {
      name: 'Latest GitHub runs',
    });
    expect(within(github).getAllByRole('row')).toHaveLength(
      1 + githubRuns.latest.length,
    );
    expect(
      screen.getByText(/^GitHub could not be reached \(api.github.com is/),
    ).toHaveTextContent(
      'GitHub could not be reached (api.github.com is rate-limited until 2026-11-27T10:00:00.000Z); showing what it said 5 min ago.',
    );
    // GitLab: nothing known, and why.
    expect(
      screen.getByText(
        'GitLab could not be reached and nothing is known yet: gitlab.com could not be reached (ECONNREFUSED)',
      ),
    ).toBeInTheDocument();
    // Jenkins works: its runs, and no marker.
    const jenkins = screen.getByRole('table', { name: 'Latest Jenkins runs' });
    expect(
      within(jenkins).getByText('payments/payments-api'),
    ).toBeInTheDocument();
    expect(screen.queryByText(/Jenkins could not be reached/)).toBeNull();
  });

  it('Environments tab: still lists environments when the pipelines and deployments requests fail', async () => {
    const fake = fakeEnvironmentsApi([qa1, staging]);
    const outage = new Error('Service Unavailable');
    await render(
      {
        ...fake.api,
        getPipelineSummary: async () => {
          throw outage;
        },
        getEntityDeployments: async () => {
          throw outage;
        },
      },
      <EntityEnvironmentsContent />,
    );
    expect(await screen.findByText('Checkout QA 1')).toBeInTheDocument();
    expect(screen.getByText('Staging EU')).toBeInTheDocument();
    expect(
      (await screen.findAllByText(/Service Unavailable/)).length,
    ).toBeGreaterThan(0);
    expect(screen.queryByText('1.4.0')).toBeNull();
  });

  it('SLOs tab: keeps the last known numbers marked stale, and says why another SLO has none', async () => {
    const [known] = entitySlos.items;
    const slos: EntitySlos = {
      ...entitySlos,
      items: [
        {
          ...known,
          source: {
            ...known.source,
            status: 'stale',
            reason:
              'Prometheus query failed: 127.0.0.1:9090 could not be reached (ECONNREFUSED)',
            queries: 0,
          },
        },
        {
          ...known,
          name: 'payments-latency',
          displayName: 'Payments latency',
          objectives: [],
          status: 'no-data',
          source: {
            type: 'prometheus',
            status: 'unavailable',
            reason: 'Prometheus answered 429 with a body that is not JSON',
            queries: 0,
          },
        },
      ],
    };
    await render(
      { ...fakeEnvironmentsApi([]).api, getEntitySlos: async () => slos },
      <EntitySlosContent />,
    );

    expect(
      await screen.findByText('Payments availability'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/^Showing the last known values/),
    ).toHaveTextContent(
      'Prometheus query failed: 127.0.0.1:9090 could not be reached (ECONNREFUSED)',
    );
    const objective = screen.getByTestId(
      'objective-payments-availability-99.9%',
    );
    expect(within(objective).getByText('99.898%')).toBeInTheDocument();

    expect(screen.getByText('Payments latency')).toBeInTheDocument();
    expect(
      screen.getByText(/^The SLI source could not be read/),
    ).toHaveTextContent(
      'The SLI source could not be read and nothing is known yet: Prometheus answered 429 with a body that is not JSON',
    );
    // The files that did not parse are still listed.
    expect(
      screen.getByText(/must be one of Occurrences, Timeslices/),
    ).toBeInTheDocument();
  });
});
