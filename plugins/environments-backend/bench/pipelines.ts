import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import githubModule from '@internal/plugin-environments-backend-module-github';
import {
  fakeGithub,
  FakeRepository,
} from '@internal/plugin-environments-backend-module-github/testUtils';
import gitlabModule from '@internal/plugin-environments-backend-module-gitlab';
import {
  fakeGitlab,
  FakeProject,
} from '@internal/plugin-environments-backend-module-gitlab/testUtils';
import jenkinsModule from '@internal/plugin-environments-backend-module-jenkins';
import {
  fakeJenkins,
  FakeJob,
} from '@internal/plugin-environments-backend-module-jenkins/testUtils';
import autocannon from 'autocannon';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { environmentsPlugin } from '../src/plugin';
import { freshDatabase } from './databases';
import { ms, percentiles } from './stats';

/**
 * What one upstream request takes at each fake CI system during the cold measurements: distinct,
 * so a sum and a maximum are told apart.
 */
export const UPSTREAM_LATENCY_MS = { github: 100, gitlab: 200, jenkins: 300 };
type CiSystem = keyof typeof UPSTREAM_LATENCY_MS;
const SYSTEMS = Object.keys(UPSTREAM_LATENCY_MS) as CiSystem[];
const ENVIRONMENTS = 20;
/** How far the clock is moved to get past the pipeline lists' one-minute freshness. */
const PAST_FRESHNESS_MS = 61_000;

type Counts = Record<CiSystem, { requests: number; notModified: number }>;

export interface TabRow {
  /** Each of the tab's calls, warm cache, one client. */
  warm: Array<{ call: string; latency: ReturnType<typeof percentiles> }>;
  /** The whole tab (its calls in parallel) on a cold cache, per repetition's median. */
  coldTabMs: number;
  /** Cold `GET /pipelines` of an entity on one provider only. */
  coldAloneMs: Record<CiSystem, number>;
  /** Cold `GET /pipelines` of the entity on all three providers. */
  coldAllMs: number;
}

export interface EconomyRow {
  /** Upstream requests for one cold viewer of the tab, per system. */
  oneViewer: Counts;
  /** Of which the pipelines panel's (the rest is the first deployment sync of the entity). */
  pipelinesPanel: Counts;
  /** Upstream requests for 50 concurrent cold viewers of one entity, per system. */
  fiftyViewers: Counts;
  /** Upstream requests of the background revalidation after the freshness ran out. */
  revalidation: Counts;
  /** Time of the view that found stale data (answered from the cache). */
  staleViewMs: number;
}

function environment(i: number): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: `bench-env-${i}`,
      namespace: 'default',
      annotations: { 'tem.dev/tier': ['dev', 'test', 'staging'][i % 3] },
    },
    spec: {
      type: 'environment',
      owner: 'group:default/platform-team',
      system: 'bench-system',
    },
    relations: [{ type: 'partOf', targetRef: 'system:default/bench-system' }],
  };
}

const GITHUB = 'github.com/project-slug';
const GITLAB = 'gitlab.com/project-slug';
const JENKINS = 'jenkins.io/job-full-name';

function component(name: string, on: CiSystem[]): Entity {
  const slug = `bench/${name}`;
  const annotations: Record<string, string> = {};
  if (on.includes('github')) annotations[GITHUB] = slug;
  if (on.includes('gitlab')) annotations[GITLAB] = slug;
  if (on.includes('jenkins')) annotations[JENKINS] = slug;
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: {
      type: 'service',
      owner: 'group:default/bench-team',
      lifecycle: 'production',
      system: 'bench-system',
    },
    relations: [{ type: 'partOf', targetRef: 'system:default/bench-system' }],
  };
}

const at = (minutesAgo: number) =>
  new Date(Date.now() - minutesAgo * 60_000)
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z');
const sha = (seed: number) =>
  Array.from({ length: 40 }, (_, i) =>
    ((seed * 7 + i * 13) % 16).toString(16),
  ).join('');

/** 30 finished runs over three workflows and 5 deployments, like a busy service's. */
function githubRepository(name: string, seed: number): FakeRepository {
  return {
    owner: 'bench',
    repo: name,
    defaultBranch: 'main',
    runs: Array.from({ length: 30 }, (_, i) => ({
      id: seed * 1000 + i,
      workflow: ['CI', 'Deploy', 'Nightly'][i % 3],
      branch: i % 4 === 0 ? 'feature/x' : 'main',
      sha: sha(seed + i),
      message: `Change ${i}`,
      event: 'push',
      actor: 'alice',
      status: 'completed' as const,
      conclusion: i % 7 === 0 ? ('failure' as const) : ('success' as const),
      createdAt: at(10 + i * 30),
      minutes: 6,
      jobs: [{ name: 'build', conclusion: 'success' as const }],
    })),
    deployments: Array.from({ length: 5 }, (_, i) => ({
      id: seed * 1000 + i,
      environment: `bench-env-${i}`,
      ref: `v1.${i}.0`,
      sha: sha(seed + i),
      version: `1.${i}.0`,
      creator: 'alice',
      createdAt: at(60 + i * 60),
      state: 'success' as const,
    })),
  };
}

function gitlabProject(name: string, seed: number): FakeProject {
  return {
    id: seed,
    path: `bench/${name}`,
    defaultBranch: 'main',
    pipelines: Array.from({ length: 30 }, (_, i) => ({
      id: seed * 1000 + i,
      ref: i % 4 === 0 ? 'feature/x' : 'main',
      sha: sha(seed + i),
      status: i % 7 === 0 ? ('failed' as const) : ('success' as const),
      source: 'push',
      user: 'bob',
      createdAt: at(12 + i * 30),
      minutes: 8,
      jobs: [{ name: 'unit', stage: 'test', status: 'success' as const }],
    })),
    deployments: Array.from({ length: 5 }, (_, i) => ({
      id: seed * 1000 + i,
      environment: `bench-env-${5 + i}`,
      ref: 'main',
      sha: sha(seed + i),
      status: 'success' as const,
      user: 'bob',
      createdAt: at(70 + i * 60),
      pipelineId: seed * 1000 + i,
    })),
  };
}

function jenkinsJob(name: string, seed: number): FakeJob {
  return {
    fullName: `bench/${name}`,
    builds: Array.from(
      { length: 30 },
      (_, i): NonNullable<FakeJob['builds']>[number] => ({
        number: 100 - i,
        result: i % 7 === 0 ? ('FAILURE' as const) : ('SUCCESS' as const),
        building: false,
        timestamp: Date.now() - (15 + i * 30) * 60_000,
        durationMs: 7 * 60_000,
        sha: sha(seed + i),
        user: 'carol',
        parameters:
          i < 5
            ? { ENVIRONMENT: `bench-env-${10 + i}`, VERSION: `2.${i}` }
            : {},
        stages: [{ name: 'Build', status: 'SUCCESS' as const }],
      }),
    ),
  };
}

/**
 * The three fake CI systems on one local port, counting what reaches each. `slow` adds each
 * system's latency to every answer.
 */
async function startFakeCi(names: string[]) {
  const repositories = names.map((name, i) => githubRepository(name, i + 1));
  const projects = names.map((name, i) => gitlabProject(name, i + 1));
  const jobs = names.map((name, i) => jenkinsJob(name, i + 1));
  const counts = emptyCounts();
  let slow = true;
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url!, 'http://127.0.0.1');
    const headers = {
      get: (name: string) =>
        (req.headers[name.toLowerCase()] as string | undefined) ?? null,
    };
    let system: CiSystem | undefined;
    let answer: {
      status: number;
      headers: Record<string, string>;
      body?: unknown;
    };
    if (url.pathname.startsWith('/github/')) {
      system = 'github';
      answer = fakeGithub(repositories, {
        method: req.method!,
        path: url.pathname.slice('/github'.length),
        query: url.searchParams,
        headers,
      });
    } else if (url.pathname.startsWith('/gitlab/api/v4/')) {
      system = 'gitlab';
      answer = fakeGitlab(projects, {
        method: req.method!,
        // GitLab takes a project path URL-encoded in one segment; keep it as sent.
        path: req.url!.split('?')[0].slice('/gitlab/api/v4'.length),
        query: url.searchParams,
        headers,
      });
    } else if (url.pathname.startsWith('/jenkins/')) {
      system = 'jenkins';
      answer = fakeJenkins(`http://${req.headers.host}/jenkins`, jobs, {
        method: req.method!,
        path: url.pathname.slice('/jenkins'.length),
        headers,
      });
    } else {
      answer = { status: 404, headers: {} };
    }
    if (system) {
      counts[system].requests++;
      if (answer.status === 304) counts[system].notModified++;
      if (slow) await sleep(UPSTREAM_LATENCY_MS[system]);
    }
    res.writeHead(answer.status, {
      ...answer.headers,
      ...(answer.body === undefined
        ? {}
        : { 'content-type': 'application/json' }),
    });
    res.end(
      answer.body === undefined ? undefined : JSON.stringify(answer.body),
    );
  });
  await new Promise<void>(resolve =>
    server.listen(0, '127.0.0.1', () => resolve()),
  );
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    counts,
    setSlow(value: boolean) {
      slow = value;
    },
    stop: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function emptyCounts(): Counts {
  return {
    github: { requests: 0, notModified: 0 },
    gitlab: { requests: 0, notModified: 0 },
    jenkins: { requests: 0, notModified: 0 },
  };
}

function difference(after: Counts, before: Counts): Counts {
  const result = emptyCounts();
  for (const system of SYSTEMS) {
    result[system].requests = after[system].requests - before[system].requests;
    result[system].notModified =
      after[system].notModified - before[system].notModified;
  }
  return result;
}

const snapshot = (counts: Counts): Counts => difference(counts, emptyCounts());

/** Waits until no upstream request arrived for a while: background work has settled. */
async function settled(counts: Counts) {
  let last = JSON.stringify(counts);
  for (;;) {
    await sleep(UPSTREAM_LATENCY_MS.jenkins * 3);
    const now = JSON.stringify(counts);
    if (now === last) return;
    last = now;
  }
}

/**
 * Rows 4 and 5: the entity Environments tab's server time with three CI providers and 20
 * environments, warm and cold, and how many upstream requests its views cost.
 */
export async function benchPipelines(options: {
  seconds: number;
  repetitions: number;
}): Promise<{ tab: TabRow; economy: EconomyRow }> {
  const all = Array.from(
    { length: options.repetitions * 2 + 3 },
    (_, i) => `svc-all-${i}`,
  );
  // Each cold measurement takes an entity nothing has asked about yet.
  let unused = 0;
  const fresh = () => all[unused++];
  const alone = SYSTEMS.flatMap(system =>
    Array.from({ length: options.repetitions }, (_, i) => `svc-${system}-${i}`),
  );
  const fake = await startFakeCi([...all, ...alone]);
  const db = await freshDatabase('SQLite');
  const backend = await startTestBackend({
    features: [
      environmentsPlugin,
      githubModule,
      gitlabModule,
      jenkinsModule,
      catalogServiceMock.factory({
        entities: [
          ...Array.from({ length: ENVIRONMENTS }, (_, i) => environment(i)),
          ...all.map(name => component(name, SYSTEMS)),
          ...SYSTEMS.flatMap(system =>
            alone
              .filter(name => name.startsWith(`svc-${system}-`))
              .map(name => component(name, [system])),
          ),
        ],
      }),
      mockServices.database.factory({ knex: db.knex }),
      mockServices.httpAuth.factory({
        defaultCredentials: mockCredentials.none(),
      }),
      mockServices.rootConfig.factory({
        data: {
          integrations: {
            github: [
              {
                host: 'github.com',
                apiBaseUrl: `${fake.base}/github`,
                token: 'bench',
              },
            ],
            gitlab: [
              {
                host: 'gitlab.com',
                apiBaseUrl: `${fake.base}/gitlab/api/v4`,
                token: 'bench',
              },
            ],
          },
          environments: {
            jenkins: {
              instances: [
                {
                  name: 'default',
                  baseUrl: `${fake.base}/jenkins`,
                  username: 'bench',
                  apiKey: 'bench',
                },
              ],
            },
            pipelines: {
              // Keep the scheduled sync out of the counts: it would run at start-up.
              deploymentSync: {
                schedule: {
                  frequency: { hours: 1 },
                  timeout: { minutes: 1 },
                  initialDelay: { hours: 1 },
                },
              },
            },
          },
        },
      }),
    ],
  });
  const realNow = Date.now;
  try {
    const api = `http://127.0.0.1:${
      (backend.server.address() as AddressInfo).port
    }/api/environments`;
    const headers = {
      authorization: mockCredentials.user.header('user:default/bench'),
    };
    const tabCalls = (name: string) => {
      const entityRef = encodeURIComponent(`component:default/${name}`);
      return {
        environments: `${api}/environments?entityRef=${entityRef}`,
        deployments: `${api}/deployments?entityRef=${entityRef}`,
        pipelines: `${api}/pipelines?entityRef=${entityRef}`,
      };
    };
    const fetchOk = async (url: string) => {
      const response = await fetch(url, { headers });
      if (!response.ok) {
        throw new Error(`${url} answered ${response.status}`);
      }
      return response.json();
    };
    const timed = async (work: () => Promise<unknown>) => {
      const started = performance.now();
      await work();
      return performance.now() - started;
    };
    const viewTab = (name: string) =>
      Promise.all(Object.values(tabCalls(name)).map(fetchOk));
    const median = (values: number[]) =>
      [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

    // Row 4, cold: every repetition views entities nothing has asked about yet.
    const coldTab: number[] = [];
    const coldAll: number[] = [];
    const coldAlone = { github: [], gitlab: [], jenkins: [] } as Record<
      CiSystem,
      number[]
    >;
    for (let i = 0; i < options.repetitions; i++) {
      const pipelinesOnly = fresh();
      coldAll.push(
        await timed(() => fetchOk(tabCalls(pipelinesOnly).pipelines)),
      );
      const wholeTab = fresh();
      coldTab.push(await timed(() => viewTab(wholeTab)));
      for (const system of SYSTEMS) {
        coldAlone[system].push(
          await timed(() => fetchOk(tabCalls(`svc-${system}-${i}`).pipelines)),
        );
      }
    }
    const providersChecked = (await fetchOk(
      tabCalls('svc-all-0').pipelines,
    )) as { providers: Array<{ provider: string; status: string }> };
    if (
      providersChecked.providers.length !== 3 ||
      providersChecked.providers.some(p => p.status !== 'ok')
    ) {
      throw new Error(
        `Expected three providers answering: ${JSON.stringify(
          providersChecked.providers,
        )}`,
      );
    }

    // Row 4, warm: the same entity's calls, answered from the cache.
    const warm: TabRow['warm'] = [];
    for (const [call, url] of Object.entries(tabCalls('svc-all-0'))) {
      const latencies: number[] = [];
      await new Promise<void>((resolve, reject) => {
        const instance = autocannon(
          { url, connections: 1, duration: options.seconds, headers },
          error => (error ? reject(error) : resolve()),
        );
        instance.on('response', (_c, statusCode, _b, responseTime) => {
          if (statusCode !== 200) reject(new Error(`${url}: ${statusCode}`));
          latencies.push(responseTime);
        });
      });
      warm.push({ call, latency: percentiles(latencies) });
    }

    // Row 5: upstream requests of one cold viewer, then of 50 concurrent cold viewers.
    fake.setSlow(false);
    const one = fresh();
    const fifty = fresh();
    const panelOnly = fresh();
    let before = snapshot(fake.counts);
    await fetchOk(tabCalls(panelOnly).pipelines);
    await settled(fake.counts);
    const pipelinesPanel = difference(fake.counts, before);
    before = snapshot(fake.counts);
    await viewTab(one);
    await settled(fake.counts);
    const oneViewer = difference(fake.counts, before);
    before = snapshot(fake.counts);
    await Promise.all(Array.from({ length: 50 }, () => viewTab(fifty)));
    await settled(fake.counts);
    const fiftyViewers = difference(fake.counts, before);

    // Past the freshness: the view is answered from the cache and revalidates behind it.
    Date.now = () => realNow() + PAST_FRESHNESS_MS;
    before = snapshot(fake.counts);
    const staleViewMs = await timed(() => viewTab(one));
    await settled(fake.counts);
    const revalidation = difference(fake.counts, before);

    return {
      tab: {
        warm,
        coldTabMs: median(coldTab),
        coldAllMs: median(coldAll),
        coldAloneMs: {
          github: median(coldAlone.github),
          gitlab: median(coldAlone.gitlab),
          jenkins: median(coldAlone.jenkins),
        },
      },
      economy: {
        oneViewer,
        pipelinesPanel,
        fiftyViewers,
        revalidation,
        staleViewMs,
      },
    };
  } finally {
    Date.now = realNow;
    await backend.stop();
    await fake.stop();
    await db.drop();
  }
}

const TAB_WARM_TARGET_MS = 30;
const GITHUB_QUOTA_PER_HOUR = 5_000;
const ENTITIES = 1_000;
/** The scheduled deployment sync's default: every 5 minutes. */
const SYNCS_PER_HOUR = 12;

/** Row 4 as Markdown. */
export function tabSection(row: TabRow): string {
  const slowest = Math.max(...Object.values(row.coldAloneMs));
  const sum = Object.values(row.coldAloneMs).reduce((a, b) => a + b, 0);
  const boundMet = row.coldAllMs < (slowest + sum) / 2;
  return [
    `A component on GitHub Actions, GitLab CI and Jenkins at once, in a system with ${ENVIRONMENTS} environments.`,
    'The tab makes three calls in parallel: its environments, its deployments (from the',
    "plugin's table) and its pipelines (from the providers, through the cache). Warm: each call",
    'answered from the cache, one client. Cold: entities nothing has asked about; every upstream',
    `request is delayed (GitHub ${UPSTREAM_LATENCY_MS.github} ms, GitLab ${UPSTREAM_LATENCY_MS.gitlab} ms, Jenkins ${UPSTREAM_LATENCY_MS.jenkins} ms).`,
    '',
    `| Call, warm | p50 / p95 / p99 ms | p95 target ≤ ${TAB_WARM_TARGET_MS} ms |`,
    '| --- | --- | --- |',
    ...row.warm.map(
      ({ call, latency }) =>
        `| \`GET /${call}\` | ${ms(latency.p50)} / ${ms(latency.p95)} / ${ms(
          latency.p99,
        )} | ${latency.p95 <= TAB_WARM_TARGET_MS ? 'met' : 'not met'} |`,
    ),
    '',
    '| Cold, median | ms |',
    '| --- | --- |',
    ...SYSTEMS.map(
      system =>
        `| \`GET /pipelines\`, ${system} only | ${row.coldAloneMs[
          system
        ].toFixed(0)} |`,
    ),
    `| \`GET /pipelines\`, all three | ${row.coldAllMs.toFixed(
      0,
    )} (slowest alone ${slowest.toFixed(0)}, sum ${sum.toFixed(0)}: ${
      boundMet ? 'bounded by the slowest, met' : 'near the sum, not met'
    }) |`,
    `| The whole tab (three calls in parallel, first deployment sync included) | ${row.coldTabMs.toFixed(
      0,
    )} |`,
  ].join('\n');
}

const requests = (counts: Counts) =>
  SYSTEMS.map(
    system =>
      `${system} ${counts[system].requests}${
        counts[system].notModified
          ? ` (${counts[system].notModified} × 304)`
          : ''
      }`,
  ).join(', ');

/** Row 5 as Markdown, with GitHub's quota worked through from the measured calls. */
export function economySection(row: EconomyRow): string {
  const fiftyMet = SYSTEMS.every(
    system =>
      row.fiftyViewers[system].requests === row.oneViewer[system].requests,
  );
  const revalidated = row.revalidation;
  // GitHub answers conditional requests; GitLab's and Jenkins' run lists carry no ETag, so
  // their revalidation is a plain request (and neither has GitHub's hourly quota).
  const conditionalMet =
    revalidated.github.requests > 0 &&
    revalidated.github.notModified === revalidated.github.requests;
  const panel = row.pipelinesPanel.github.requests;
  const sync = row.oneViewer.github.requests - panel;
  const reval = revalidated.github.requests;
  const changedBudget = Math.floor(GITHUB_QUOTA_PER_HOUR / Math.max(1, reval));
  return [
    'Upstream requests counted at the fake CI servers (no latency added).',
    '',
    '| Case | Upstream requests | Target |',
    '| --- | --- | --- |',
    `| One cold viewer of the tab | ${requests(row.oneViewer)} | |`,
    `| … of which the pipelines panel | ${requests(row.pipelinesPanel)} | |`,
    `| 50 concurrent cold viewers of one entity | ${requests(
      row.fiftyViewers,
    )} | as many as one viewer: ${fiftyMet ? 'met' : 'not met'} |`,
    `| A view after the one-minute freshness (answered from the cache in ${row.staleViewMs.toFixed(
      0,
    )} ms), then the background revalidation | ${requests(
      revalidated,
    )} | GitHub's revalidation conditional and answered 304: ${
      conditionalMet ? 'met' : 'not met'
    } (GitLab's and Jenkins' lists carry no ETag) |`,
    '',
    `GitHub's quota for ${ENTITIES.toLocaleString(
      'en-US',
    )} entities, from these counts:`,
    '',
    `- A page view costs GitHub requests only when the entity's cached answer is older than a minute:`,
    `  then it costs ${reval} conditional request(s) in the background, and views meanwhile cost 0.`,
    `  So the upstream rate is bounded by entities × revalidations, not by page views: at most`,
    `  ${ENTITIES.toLocaleString('en-US')} × 60 × ${reval} = ${(
      ENTITIES *
      60 *
      reval
    ).toLocaleString(
      'en-US',
    )} requests an hour if every entity is viewed every minute.`,
    `- GitHub does not count a 304 against the rate limit. Revalidations of unchanged data are`,
    `  free, so the ${GITHUB_QUOTA_PER_HOUR.toLocaleString(
      'en-US',
    )}/h budget is spent only on changes: about ${changedBudget.toLocaleString(
      'en-US',
    )} revalidations that find a change`,
    `  per hour, or ${(changedBudget / ENTITIES).toFixed(
      1,
    )} changes per entity per hour while every entity is watched without pause.`,
    `- First views after a restart cost ${panel} request(s) per entity for the panel (the default branch is kept an hour)`,
    `  and ${sync} for the entity's first deployment sync: ${(
      ENTITIES *
      (panel + sync)
    ).toLocaleString('en-US')} for all ${ENTITIES.toLocaleString(
      'en-US',
    )}, once.`,
    `- The scheduled deployment sync (every 5 minutes) asks ${sync} request(s) per entity:`,
    `  ${ENTITIES.toLocaleString('en-US')} × ${SYNCS_PER_HOUR} × ${sync} = ${(
      ENTITIES *
      SYNCS_PER_HOUR *
      sync
    ).toLocaleString(
      'en-US',
    )} an hour, conditional through the same client, so only changed deployment lists count.`,
  ].join('\n');
}
