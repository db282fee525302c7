import { createBackendModule } from '@backstage/backend-plugin-api';
import { mockCredentials } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import {
  isEnvironmentEntity,
  TeamOverview,
} from '@internal/plugin-environments-common';
import {
  environmentsCiProvidersExtensionPoint,
  environmentsSliSourcesExtensionPoint,
} from '@internal/plugin-environments-node';
import { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import {
  as,
  startBookingBackend,
  testEnvironment,
  users,
} from './__testUtils__/bookingBackend';
import {
  createTestDatabases,
  supportedDatabases,
  TEST_DATABASE_IDS,
} from './__testUtils__/databases';
import { insertBooking } from './database/bookingsStore';
import { syncEnvironments } from './database/environmentsStore';
import { toSnapshot } from './domain/environments';

jest.setTimeout(120_000);

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const iso = (ms: number) => new Date(ms).toISOString();

const { alice, bob, carol, dave } = users;
const ENGINEERING = 'group:default/engineering';
const PAYMENTS = 'group:default/payments-team';
const SEARCH = 'group:default/search-team';
const PLATFORM = 'group:default/platform-team';

/** A group with its relations as the catalog's processors emit them. */
function group(
  name: string,
  relations: { children?: string[]; members?: string[] } = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name, namespace: 'default' },
    spec: { type: 'team', children: [] },
    relations: [
      ...(relations.children ?? []).map(targetRef => ({
        type: 'parentOf',
        targetRef,
      })),
      ...(relations.members ?? []).map(targetRef => ({
        type: 'hasMember',
        targetRef,
      })),
    ],
  };
}

function ownedEnvironment(
  name: string,
  owner: string,
  annotations: Record<string, string> = {},
): Entity {
  const entity = testEnvironment(name, annotations);
  return {
    ...entity,
    spec: { ...entity.spec, owner },
    relations: [{ type: 'ownedBy', targetRef: owner }],
  };
}

/** Holds the components' SLO files. */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tem-teams-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function component(
  name: string,
  owner: string,
  options: { sloTarget?: number } = {},
): Entity {
  if (options.sloTarget !== undefined) {
    fs.writeFileSync(
      path.join(dir, `${name}.yaml`),
      `apiVersion: openslo/v1
kind: SLO
metadata:
  name: availability
spec:
  indicator:
    spec:
      ratioMetric:
        good: { metricSource: { type: fake, spec: { query: good } } }
        total: { metricSource: { type: fake, spec: { query: total } } }
  timeWindow:
    - { duration: 7d, isRolling: true }
  budgetingMethod: Occurrences
  objectives:
    - { target: ${options.sloTarget} }
`,
    );
  }
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: {
        'backstage.io/managed-by-location': `file:${dir}/catalog-info.yaml`,
        ...(options.sloTarget !== undefined && {
          'openslo.dev/slo-files': `${name}.yaml`,
        }),
      },
    },
    spec: { type: 'service', owner },
    relations: [{ type: 'ownedBy', targetRef: owner }],
  };
}

const entities: Entity[] = [
  // engineering has two child teams; platform is outside it. loop-a and loop-b name each other
  // as children, as a broken catalog might.
  group('engineering', { children: [PAYMENTS, SEARCH] }),
  group('payments-team', { members: [alice, carol] }),
  group('search-team', { members: [bob] }),
  group('platform-team', { members: [dave] }),
  group('quiet-team'),
  group('loop-a', { children: ['group:default/loop-b'] }),
  group('loop-b', { children: ['group:default/loop-a'] }),
  ownedEnvironment('payments-qa', PAYMENTS),
  ownedEnvironment('payments-prod', PAYMENTS, { 'tem.dev/bookable': 'false' }),
  ownedEnvironment('search-qa', SEARCH, { 'tem.dev/capacity': '2' }),
  ownedEnvironment('platform-lab', PLATFORM),
  // 99% of requests are good: a 99.9% objective has overspent its budget 9 times over
  // (1 - 0.01 / 0.001 = -9), a 95% one has 80% left (1 - 0.01 / 0.05).
  component('payments-api', PAYMENTS, { sloTarget: 0.999 }),
  component('ledger', PAYMENTS),
  component('search-api', SEARCH, { sloTarget: 0.95 }),
  component('platform-tool', PLATFORM, { sloTarget: 0.9 }),
];

/** CI: payments-api's main is red, search-api's green, ledger's CI system is down. */
const fakeCi = createBackendModule({
  pluginId: 'environments',
  moduleId: 'teams-test-ci',
  register(env) {
    env.registerInit({
      deps: { ciProviders: environmentsCiProvidersExtensionPoint },
      async init({ ciProviders }) {
        const run = (
          entity: Entity,
          branch: string,
          status: 'failed' | 'succeeded',
        ) => ({
          provider: 'fake-ci',
          id: `${entity.metadata.name}-${branch}`,
          name: 'CI',
          branch,
          status,
        });
        ciProviders.addProvider({
          id: 'fake-ci',
          appliesTo: entity =>
            ['payments-api', 'search-api', 'ledger'].includes(
              entity.metadata.name,
            ),
          getDefaultBranch: async () => 'main',
          listRuns: async entity => {
            if (entity.metadata.name === 'ledger') {
              throw new Error('fake CI is down');
            }
            return {
              items:
                entity.metadata.name === 'payments-api'
                  ? [
                      run(entity, 'main', 'failed'),
                      run(entity, 'feature', 'succeeded'),
                    ]
                  : [
                      run(entity, 'main', 'succeeded'),
                      run(entity, 'feature', 'failed'),
                    ],
            };
          },
          getRun: async () => {
            throw new Error('not used');
          },
          listDeployments: async () => ({ items: [] }),
          rerun: async () => {},
        });
      },
    });
  },
});

/** An SLI source where 99 of every 100 requests are good. */
const fakeSli = createBackendModule({
  pluginId: 'environments',
  moduleId: 'teams-test-sli',
  register(env) {
    env.registerInit({
      deps: { sliSources: environmentsSliSourcesExtensionPoint },
      async init({ sliSources }) {
        sliSources.addSource({
          type: 'fake',
          async countEvents(req) {
            const points = [];
            for (
              let end = req.firstEnd;
              end <= req.lastEnd;
              end += req.stepMs
            ) {
              points.push({ end, value: req.query === 'good' ? 99 : 100 });
            }
            return points;
          },
          async worstValues() {
            return [];
          },
        });
      },
    });
  },
});

describe('team overview API', () => {
  const databases = createTestDatabases();

  it('runs on PostgreSQL 15 and SQLite', () => {
    expect(supportedDatabases(databases)).toEqual(TEST_DATABASE_IDS);
  });

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    let knex: Knex;
    let backend: Awaited<ReturnType<typeof startBookingBackend>>['backend'];
    const now = Date.now();
    const ids: Record<string, string> = {};

    const overview = async (groupName: string, caller = as(bob)) => {
      const res = await request(backend.server)
        .get(`/api/environments/teams/default/${groupName}/overview`)
        .set('Authorization', caller);
      expect(res.status).toBe(200);
      return res.body as TeamOverview;
    };

    const book = async (
      user: string,
      environment: string,
      start: number,
      end: number,
    ) => {
      const res = await request(backend.server)
        .post('/api/environments/bookings')
        .set('Authorization', as(user))
        .send({
          environmentRef: `resource:default/${environment}`,
          title: `${user} on ${environment}`,
          purpose: 'testing',
          start: iso(start),
          end: iso(end),
        });
      expect(res.status).toBe(201);
      return res.body.id as string;
    };

    /**
     * A booking stored as the booking rules never let one be made: in the past, or for a team
     * the requester is no member of (as an admin's reassignment leaves it).
     */
    const stored = async (
      user: string,
      environment: string,
      start: number,
      end: number,
      status: 'approved' | 'expired' | 'released' | 'cancelled',
      teamRef?: string,
    ) =>
      (
        await knex.transaction(tx =>
          insertBooking(
            tx,
            {
              id: randomUUID(),
              environmentRef: `resource:default/${environment}`,
              requesterRef: user,
              teamRef,
              title: 'Stored',
              purpose: 'testing',
              start: new Date(start),
              end: new Date(end),
              status,
            },
            new Date(Math.min(start, now)),
          ),
        )
      ).id;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      ({ backend } = await startBookingBackend({
        knex,
        entities,
        features: [fakeCi, fakeSli],
      }));
      // The catalog sync stores the environments the bookings below refer to.
      await knex.transaction(tx =>
        syncEnvironments(
          tx,
          entities.filter(isEnvironmentEntity).map(toSnapshot),
          new Date(now),
        ),
      );
      // payments-qa (exclusive): held 24 hours two days ago, 12 hours three days ago until
      // released, and by alice from a minute ago. A cancelled booking held nothing.
      await stored(
        alice,
        'payments-qa',
        now - 3 * DAY,
        now - 2 * DAY,
        'expired',
      );
      await stored(
        carol,
        'payments-qa',
        now - 4 * DAY,
        now - 4 * DAY + 12 * HOUR,
        'released',
      );
      await stored(
        carol,
        'payments-qa',
        now - 5 * DAY,
        now - 4 * DAY,
        'cancelled',
      );
      ids.aliceNow = await book(alice, 'payments-qa', now - 60_000, now + HOUR);
      // search-qa (2 places): bob for a day, ten days ago: outside the 7 days.
      await stored(bob, 'search-qa', now - 10 * DAY, now - 9 * DAY, 'expired');
      ids.bobNow = await book(bob, 'search-qa', now - 60_000, now + 2 * HOUR);
      ids.carolNext = await book(
        carol,
        'platform-lab',
        now + 3 * DAY,
        now + 3 * DAY + HOUR,
      );
      ids.bobNext = await book(
        bob,
        'payments-qa',
        now + 2 * DAY,
        now + 2 * DAY + HOUR,
      );
      // dave is no member of payments, but his booking is for it.
      ids.daveForPayments = await stored(
        dave,
        'platform-lab',
        now + DAY,
        now + DAY + HOUR,
        'approved',
        PAYMENTS,
      );
      ids.daveOwn = await book(
        dave,
        'platform-lab',
        now + 4 * DAY,
        now + 4 * DAY + HOUR,
      );
      // dave holds platform-lab; carol then bob wait for the same slot.
      const taken = { start: now + 5 * DAY, end: now + 5 * DAY + HOUR };
      await book(dave, 'platform-lab', taken.start, taken.end);
      for (const user of [carol, bob]) {
        await request(backend.server)
          .post('/api/environments/waitlist')
          .set('Authorization', as(user))
          .send({
            environmentRef: 'resource:default/platform-lab',
            title: 'Waiting',
            purpose: 'testing',
            start: iso(taken.start),
            end: iso(taken.end),
          })
          .expect(201);
      }
    });

    afterAll(async () => {
      await backend?.stop();
    });

    it("resolves a group's child groups and their members from the catalog", async () => {
      const team = await overview('engineering');
      expect(team.groupRef).toBe(ENGINEERING);
      expect(team.groupRefs.sort()).toEqual(
        [ENGINEERING, PAYMENTS, SEARCH].sort(),
      );
      expect(team.memberRefs).toEqual([alice, bob, carol]);
    });

    it('shows the environments the groups own, with holders and 7-day utilisation', async () => {
      const team = await overview('engineering');
      const byName = Object.fromEntries(
        team.environments.map(e => [e.environment.name, e]),
      );
      expect(Object.keys(byName).sort()).toEqual([
        'payments-prod',
        'payments-qa',
        'search-qa',
      ]);
      expect(byName['payments-qa'].holders.map(b => b.id)).toEqual([
        ids.aliceNow,
      ]);
      // 24 + 12 hours and alice's minute or so, of 168 bookable hours.
      expect(byName['payments-qa'].utilisation).toBeGreaterThanOrEqual(
        36 / 168,
      );
      expect(byName['payments-qa'].utilisation).toBeLessThan(37 / 168);
      // Bob's day ten days ago is outside the window; of two places, his minute is all.
      expect(byName['search-qa'].holders.map(b => b.id)).toEqual([ids.bobNow]);
      expect(byName['search-qa'].utilisation).toBeLessThan(0.001);
      // Not bookable: nothing to measure.
      expect(byName['payments-prod'].utilisation).toBeUndefined();
      expect(byName['payments-prod'].holders).toEqual([]);
    });

    it("includes the child groups' members' bookings now and next", async () => {
      const engineering = await overview('engineering');
      expect(engineering.bookings.current.map(b => b.id).sort()).toEqual(
        [ids.aliceNow, ids.bobNow].sort(),
      );
      // dave's booking for payments, a child group, is engineering's too.
      expect(engineering.bookings.upcoming.map(b => b.id)).toEqual([
        ids.daveForPayments,
        ids.bobNext,
        ids.carolNext,
      ]);

      const payments = await overview('payments-team');
      expect(payments.bookings.current.map(b => b.id)).toEqual([ids.aliceNow]);
      // dave's booking made for the team counts; bob's (search) does not.
      expect(payments.bookings.upcoming.map(b => b.id)).toEqual([
        ids.daveForPayments,
        ids.carolNext,
      ]);
      expect(payments.environments.map(e => e.environment.name).sort()).toEqual(
        ['payments-prod', 'payments-qa'],
      );
    });

    it("shows members' waitlist places with their positions among all waiters", async () => {
      const engineering = await overview('engineering');
      expect(
        engineering.waitlist.map(e => [e.requesterRef, e.position]),
      ).toEqual([
        [carol, 1],
        [bob, 2],
      ]);
      const search = await overview('search-team');
      expect(search.waitlist.map(e => [e.requesterRef, e.position])).toEqual([
        [bob, 2],
      ]);
    });

    it("rolls up the SLOs of the child groups' components, least budget first", async () => {
      const engineering = await overview('engineering');
      expect(
        engineering.slos.items.map(i => [i.entityRef, i.budgetRemaining]),
      ).toEqual([
        ['component:default/payments-api', expect.closeTo(-9, 6)],
        ['component:default/search-api', expect.closeTo(0.8, 6)],
      ]);
      const payments = await overview('payments-team');
      expect(payments.slos.items.map(i => i.entityRef)).toEqual([
        'component:default/payments-api',
      ]);
    });

    it("shows each component's default-branch pipeline health, failing first, a down CI system marked", async () => {
      const engineering = await overview('engineering');
      expect(
        engineering.pipelines.map(p => [
          p.entityRef,
          p.status,
          p.providers.map(provider => provider.status),
        ]),
      ).toEqual([
        ['component:default/payments-api', 'failing', ['ok']],
        ['component:default/ledger', 'unknown', ['unavailable']],
        ['component:default/search-api', 'passing', ['ok']],
      ]);
      // Only the default branch's runs: the feature branches' results do not count.
      expect(
        engineering.pipelines[0].providers[0].latest.map(r => r.branch),
      ).toEqual(['main']);
    });

    it('answers a group with no environments, members or components with empty lists', async () => {
      const team = await overview('quiet-team');
      expect(team).toEqual({
        groupRef: 'group:default/quiet-team',
        groupRefs: ['group:default/quiet-team'],
        memberRefs: [],
        environments: [],
        bookings: { current: [], upcoming: [] },
        waitlist: [],
        slos: { groupRef: 'group:default/quiet-team', items: [], problems: [] },
        pipelines: [],
      });
    });

    it('walks a cycle of child groups once', async () => {
      const team = await overview('loop-a');
      expect(team.groupRefs).toEqual([
        'group:default/loop-a',
        'group:default/loop-b',
      ]);
    });

    it('answers 404 for an unknown group', async () => {
      const res = await request(backend.server)
        .get('/api/environments/teams/default/nobody/overview')
        .set('Authorization', as(bob));
      expect(res.status).toBe(404);
      expect(res.body.error).toMatchObject({
        name: 'NotFoundError',
        message: 'No group group:default/nobody',
      });
    });

    it('serves services and refuses anonymous callers', async () => {
      const team = await overview(
        'payments-team',
        mockCredentials.service.header(),
      );
      expect(team.memberRefs).toEqual([alice, carol]);
      const res = await request(backend.server).get(
        '/api/environments/teams/default/payments-team/overview',
      );
      expect(res.status).toBe(401);
    });
  });
});
