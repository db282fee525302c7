import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { PrometheusSliSource } from '@internal/plugin-environments-backend-module-prometheus';
import {
  incidentFixture,
  RunningPrometheus,
  startPrometheus,
} from '@internal/plugin-environments-backend-module-prometheus/testUtils';
import { SliSource } from '@internal/plugin-environments-node';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { memoryCache } from '../__testUtils__/memoryCache';
import { EnvironmentsService } from './EnvironmentsService';
import { SloFiles } from './SloFiles';
import { snapshotsOf } from '../domain/sloHistory';
import { SloGatePolicy, SloService } from './SloService';

jest.setTimeout(120_000);

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const START = Date.parse('2024-01-01T00:00:00Z');
const MINUTES = 8 * 24 * 60;
const END = START + MINUTES * MINUTE;
const NOW = END + 30_000;
// checkout: staging with a 30-minute incident that ended 15 minutes before the data ends,
// qa quiet (see incidentFixture for the numbers).
const fixture = incidentFixture({
  startSeconds: START / 1000,
  minutes: MINUTES,
});

const ratioSlo = (name: string, window: string, objectives: string) => `
apiVersion: openslo/v1
kind: SLO
metadata:
  name: ${name}
  annotations:
    tem.dev/environment-label: env
spec:
  service: checkout
  indicator:
    metadata:
      name: ${name}-requests
    spec:
      ratioMetric:
        counter: true
        bad:
          metricSource:
            type: Prometheus
            spec:
              query: http_requests_total{job="checkout",code=~"5.."}
        total:
          metricSource:
            type: Prometheus
            spec:
              query: http_requests_total{job="checkout"}
  timeWindow:
    - duration: ${window}
      isRolling: true
  budgetingMethod: Occurrences
  objectives:
${objectives}
`;

const files: Record<string, string> = {
  'availability.yaml': ratioSlo(
    'availability',
    '30d',
    '    - { displayName: Three nines, target: 0.999 }\n    - { displayName: Two nines, target: 0.99 }',
  ),
  'weekly.yaml': ratioSlo('weekly', '7d', '    - { target: 0.999 }'),
  'latency.yaml': `apiVersion: openslo/v1
kind: SLO
metadata:
  name: latency
spec:
  indicator:
    spec:
      thresholdMetric:
        metricSource:
          type: prometheus
          spec:
            query: latency_p99_seconds{job="checkout",env="staging"}
  timeWindow:
    - { duration: 7d, isRolling: true }
  budgetingMethod: Timeslices
  objectives:
    - { target: 0.99, timeSliceWindow: 5m, op: lte, value: 0.3 }
`,
  'broken.yaml':
    'apiVersion: openslo/v1\nkind: SLO\nmetadata:\n  name: broken\nspec:\n  budgetingMethod: Never\n',
};

const DEFAULT_POLICY: SloGatePolicy = {
  minBudgetRemaining: 0,
  denyOnFastBurn: true,
  onNoData: 'allow',
  onSourceUnavailable: 'allow',
};

describe('SloService on a real Prometheus', () => {
  let prometheus: RunningPrometheus;
  let dir: string;
  let entities: Entity[];
  const credentials = mockCredentials.user();

  const service = (
    sources: Map<string, SliSource>,
    gatePolicy = DEFAULT_POLICY,
  ) =>
    new SloService({
      catalog: catalogServiceMock({ entities }),
      cache: memoryCache(),
      logger: mockServices.logger.mock(),
      files: new SloFiles(mockServices.urlReader.mock()),
      environments: {
        list: async () => [
          { entityRef: 'resource:default/staging', name: 'staging' },
          { entityRef: 'resource:default/qa', name: 'qa' },
        ],
      } as unknown as EnvironmentsService,
      sources: () => sources,
      gatePolicy,
    });
  let slos: SloService;

  beforeAll(async () => {
    [prometheus, dir] = await Promise.all([
      startPrometheus(fixture),
      fs.mkdtemp(path.join(os.tmpdir(), 'tem-slo-files-')),
    ]);
    await fs.mkdir(path.join(dir, 'slo'));
    for (const [name, content] of Object.entries(files)) {
      await fs.writeFile(path.join(dir, 'slo', name), content);
    }
    const component = (
      name: string,
      owner: string,
      annotation: string,
    ): Entity => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name,
        namespace: 'default',
        annotations: {
          'backstage.io/managed-by-location': `file:${dir}/catalog-info.yaml`,
          'openslo.dev/slo-files': annotation,
        },
      },
      spec: { type: 'service', owner },
      relations: [{ type: 'ownedBy', targetRef: owner }],
    });
    entities = [
      component('checkout', 'group:default/payments', './slo/*.yaml'),
      component('ledger', 'group:default/ledger-team', 'slo/weekly.yaml'),
      component('sneaky', 'group:default/payments', '../../etc/passwd'),
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Group',
        metadata: { name: 'payments', namespace: 'default' },
        spec: { type: 'team', children: ['ledger-team'] },
        relations: [
          { type: 'parentOf', targetRef: 'group:default/ledger-team' },
        ],
      },
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Group',
        metadata: { name: 'ledger-team', namespace: 'default' },
        spec: { type: 'team', children: [] },
      },
    ];
    slos = service(
      new Map([
        ['prometheus', new PrometheusSliSource({ baseUrl: prometheus.url })],
      ]),
    );
  });
  afterAll(async () => {
    await prometheus?.stop();
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  it('evaluates a 30-day SLO exactly as computed from the generated data, in two queries', async () => {
    const result = await slos.forEntity(
      'component:default/checkout',
      { environment: 'staging', credentials },
      NOW,
    );
    expect(result.problems).toEqual([
      {
        file: 'slo/broken.yaml',
        line: 6,
        field: 'spec',
        message: 'needs an indicator or an indicatorRef',
      },
    ]);
    const availability = result.items.find(s => s.name === 'availability')!;
    expect(availability.source).toMatchObject({ status: 'ok', queries: 2 });
    // A threshold SLI needs one query.
    expect(result.items.find(s => s.name === 'latency')!.source.queries).toBe(
      1,
    );
    expect(availability.environment).toBe('staging');
    const [threeNines, twoNines] = availability.objectives;

    // 8 days of data in the 30-day window: 23,040,000 requests, 11,520 + 30 × 399 failed.
    const errorRatio = (8 * 1440 + 30 * 399) / (8 * 1440 * 2000);
    expect(threeNines.sli).toBeCloseTo(1 - errorRatio, 12);
    expect(threeNines.budgetRemaining).toBeCloseTo(-0.01953125, 9);
    expect(threeNines.status).toBe('breached');
    expect(threeNines.dataQuality).toBe('partial'); // the first 22 days have no data
    expect(threeNines.timeToExhaustionMs).toBe(0);

    // Error ratios over the windows ending now, by hand: the incident's 30 minutes at 400
    // failures a minute ended 15 minutes ago; 1 failure a minute otherwise.
    const ratio = (minutes: number, incidentMinutes: number) =>
      (incidentMinutes * 400 + (minutes - incidentMinutes)) / (minutes * 2000);
    const expected = [
      [ratio(60, 30), ratio(5, 0)], // 1h/5m at 14.4
      [ratio(360, 30), ratio(30, 15)], // 6h/30m at 6
      [ratio(1440, 30), ratio(120, 30)], // 1d/2h at 3
      [ratio(4320, 30), ratio(360, 30)], // 3d/6h at 1
    ];
    threeNines.burnRates.forEach((row, i) => {
      expect(row.longBurnRate).toBeCloseTo(expected[i][0] / 0.001, 9);
      expect(row.shortBurnRate).toBeCloseTo(expected[i][1] / 0.001, 9);
    });
    expect(threeNines.burnRates[0].longBurnRate).toBeCloseTo(100.25, 9);
    // The burn stopped 15 minutes ago: the 5-minute window is quiet, so the fastest row rests.
    expect(threeNines.burnRates.map(r => r.firing)).toEqual([
      false,
      true,
      true,
      true,
    ]);

    expect(twoNines.budgetRemaining).toBeCloseTo(1 - errorRatio / 0.01, 9);
    expect(twoNines.status).toBe('healthy');
    expect(twoNines.timeToExhaustionMs).toBeCloseTo(
      (twoNines.budgetRemaining! * 30 * DAY) / (ratio(60, 30) / 0.01),
      0,
    );
  });

  it('matches the 7-day budget of a known incident and counts bad timeslices', async () => {
    const { items } = await slos.forEntity(
      'component:default/checkout',
      { environment: 'staging', credentials },
      NOW,
    );
    const weekly = items.find(s => s.name === 'weekly')!.objectives[0];
    expect(weekly.sli).toBeCloseTo(1 - 0.00109375, 12);
    expect(weekly.budgetRemaining).toBeCloseTo(-0.09375, 9);
    expect(weekly.dataQuality).toBe('ok');

    const latency = items.find(s => s.name === 'latency')!;
    // 2,016 five-minute slices a week; the 30-minute incident spoils 7 of them (ranges
    // include their start). 1% of 2,016 slices may be bad.
    expect(latency.objectives[0].sli).toBeCloseTo(2009 / 2016, 12);
    expect(latency.objectives[0].budgetRemaining).toBeCloseTo(1 - 7 / 20.16, 9);
  });

  it('scopes by environment: qa never failed, and its missing error series means no errors', async () => {
    const { items } = await slos.forEntity(
      'component:default/checkout',
      { environment: 'qa', credentials },
      NOW,
    );
    const availability = items.find(s => s.name === 'availability')!;
    expect(availability.environment).toBe('qa');
    expect(availability.objectives[0]).toMatchObject({
      sli: 1,
      budgetRemaining: 1,
      status: 'healthy',
    });
    await expect(
      slos.forEntity(
        'component:default/checkout',
        { environment: 'prod', credentials },
        NOW,
      ),
    ).rejects.toThrow('does not run in an environment named prod');
  });

  it('answers repeated questions from the cache without querying again', async () => {
    const again = await slos.forEntity(
      'component:default/checkout',
      { environment: 'staging', credentials },
      NOW + 10_000,
    );
    expect(again.items.every(s => s.source.queries === 0)).toBe(true);
  });

  it('gates deployments on exhausted budgets and fast burns, with reasons', async () => {
    const staging = await slos.gate(
      'component:default/checkout',
      { environment: 'staging', credentials },
      NOW,
    );
    expect(staging.decision).toBe('deny');
    expect(staging.reasons).toEqual(
      expect.arrayContaining([
        'availability (Three nines): error budget exhausted (-1.95% left, policy needs 0.00%)',
        'availability (Three nines): fast burn (6h/30m at 17.1x)',
        'weekly (99.9%): error budget exhausted (-9.38% left, policy needs 0.00%)',
        '1 SLO document(s) could not be read and were not checked; allowed by policy',
      ]),
    );
    const qa = await slos.gate(
      'component:default/checkout',
      { environment: 'qa', credentials },
      NOW,
    );
    expect(qa.decision).toBe('allow');

    const strict = service(
      new Map([
        ['prometheus', new PrometheusSliSource({ baseUrl: prometheus.url })],
      ]),
      { ...DEFAULT_POLICY, minBudgetRemaining: 0.7 },
    );
    const qaStrict = await strict.gate(
      'component:default/checkout',
      { environment: 'qa', credentials },
      NOW,
    );
    // The latency SLO (not scoped by environment) has 65% of its budget left.
    expect(qaStrict.decision).toBe('deny');
    expect(qaStrict.reasons).toEqual([
      'latency (99%): error budget too low (65.28% left, policy needs 70.00%)',
      '1 SLO document(s) could not be read and were not checked; allowed by policy',
    ]);
  });

  it("rolls up the SLOs of a group's components and its child groups', least budget first", async () => {
    const rollup = await slos.rollup(
      'group:default/payments',
      credentials,
      NOW,
    );
    expect(
      rollup.items.map(i => [i.entityRef, i.slo, i.objective, i.status]),
    ).toEqual([
      // All environments together: staging's failures spread over qa's traffic too.
      ['component:default/checkout', 'weekly', '99.9%', 'at-risk'],
      ['component:default/ledger', 'weekly', '99.9%', 'at-risk'],
      ['component:default/checkout', 'availability', 'Three nines', 'at-risk'],
      ['component:default/checkout', 'latency', '99%', 'at-risk'],
      ['component:default/checkout', 'availability', 'Two nines', 'healthy'],
    ]);
    // The SLO file annotation cannot leave the entity's location.
    expect(rollup.problems).toEqual(
      expect.arrayContaining([
        {
          entityRef: 'component:default/sneaky',
          file: '../../etc/passwd',
          message: "the path leaves the entity's source location",
        },
      ]),
    );
  });

  it('evaluates every SLO in the catalog for the history: per environment when scoped by one', async () => {
    const evaluated = await slos.evaluateAll(credentials, NOW);
    expect(
      evaluated
        .map(e => `${e.entityRef} ${e.summary.name} ${e.environmentRef ?? '*'}`)
        .sort(),
    ).toEqual([
      'component:default/checkout availability resource:default/qa',
      'component:default/checkout availability resource:default/staging',
      'component:default/checkout latency *',
      'component:default/checkout weekly resource:default/qa',
      'component:default/checkout weekly resource:default/staging',
      'component:default/ledger weekly resource:default/qa',
      'component:default/ledger weekly resource:default/staging',
    ]);
    const snapshots = evaluated.flatMap(({ summary, ...where }) =>
      snapshotsOf(summary, where, new Date(NOW)),
    );
    const availability = (environmentRef: string) =>
      snapshots
        .filter(
          s =>
            s.entityRef === 'component:default/checkout' &&
            s.sloName === 'availability' &&
            s.environmentRef === environmentRef,
        )
        .map(s => [s.objective, s.fastBurn, s.breached]);
    // Staging's incident: three nines spent and burning fast on the 6h/30m page row; two
    // nines within budget and burning slower than that row's 6x.
    expect(availability('resource:default/staging')).toEqual([
      ['Three nines', true, true],
      ['Two nines', false, false],
    ]);
    expect(availability('resource:default/qa')).toEqual([
      ['Three nines', false, false],
      ['Two nines', false, false],
    ]);
  });

  it('serves the last known values, marked stale, when Prometheus is down', async () => {
    await prometheus.stop();
    const later = NOW + 5 * MINUTE;
    const { items } = await slos.forEntity(
      'component:default/checkout',
      { environment: 'staging', credentials },
      later,
    );
    const availability = items.find(s => s.name === 'availability')!;
    expect(availability.source).toMatchObject({
      status: 'stale',
      asOf: new Date(NOW).toISOString(),
      reason: expect.stringMatching(/Prometheus query failed/),
    });
    expect(availability.objectives[0].budgetRemaining).toBeCloseTo(
      -0.01953125,
      9,
    );

    // A fresh service knows nothing yet: unavailable, and the gate follows its policy.
    const source = new Map([
      ['prometheus', new PrometheusSliSource({ baseUrl: prometheus.url })],
    ]);
    const cold = await service(source).gate(
      'component:default/checkout',
      { environment: 'staging', credentials },
      later,
    );
    expect(cold.decision).toBe('allow');
    expect(cold.slos.map(s => s.source)).toEqual([
      'unavailable',
      'unavailable',
      'unavailable',
    ]);
    const closed = await service(source, {
      ...DEFAULT_POLICY,
      onSourceUnavailable: 'deny',
    }).gate(
      'component:default/checkout',
      { environment: 'staging', credentials },
      later,
    );
    expect(closed.decision).toBe('deny');

    // The roll-up keeps SLOs without numbers, one row per objective, rather than dropping them.
    const rollup = await service(source).rollup(
      'group:default/payments',
      credentials,
      later,
    );
    expect(
      rollup.items.map(i => [
        i.entityRef,
        i.slo,
        i.objective,
        i.status,
        i.source,
        i.budgetRemaining,
      ]),
    ).toEqual(
      expect.arrayContaining([
        [
          'component:default/checkout',
          'availability',
          'Three nines',
          'no-data',
          'unavailable',
          undefined,
        ],
        [
          'component:default/checkout',
          'availability',
          'Two nines',
          'no-data',
          'unavailable',
          undefined,
        ],
        [
          'component:default/ledger',
          'weekly',
          '99.9%',
          'no-data',
          'unavailable',
          undefined,
        ],
      ]),
    );
    expect(rollup.items).toHaveLength(5);
  });

  it('says when no SLI source is configured', async () => {
    const { items } = await service(new Map()).forEntity(
      'component:default/checkout',
      { credentials },
      NOW,
    );
    expect(items.map(s => s.source.status)).toEqual([
      'not-configured',
      'not-configured',
      'not-configured',
    ]);
    expect(items[0].source.reason).toBe(
      'no SLI source for "prometheus" is configured',
    );
  });
});
