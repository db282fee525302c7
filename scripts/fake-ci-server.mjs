// Fake GitHub, GitLab and Jenkins APIs serving the demo catalog's pipelines and deployments
// (generated, relative to now), and the demo environments' health checks, on 127.0.0.1:PORT
// (default 7011), until interrupted. The fakes
// are the ones the provider tests use; app-config.demo.yaml points the portal at them.
//
//   node --experimental-strip-types scripts/fake-ci-server.mjs [port]
import http from 'node:http';

const { fakeGithub } = await import(
  '../plugins/environments-backend-module-github/src/testUtils/fakeGithub.ts'
);
const { fakeGitlab } = await import(
  '../plugins/environments-backend-module-gitlab/src/testUtils/fakeGitlab.ts'
);
const { fakeJenkins } = await import(
  '../plugins/environments-backend-module-jenkins/src/testUtils/fakeJenkins.ts'
);

const port = Number(process.argv[2] ?? process.env.FAKE_CI_PORT ?? 7011);
const root = `http://127.0.0.1:${port}`;
const now = Date.now();
const ago = minutes =>
  new Date(now - minutes * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
const sha = seed =>
  Array.from({ length: 40 }, (_, i) =>
    ((seed * 7 + i * 13) % 16).toString(16),
  ).join('');
const daysAgo = days => ago(days * 1440);

/**
 * Four weeks of payments-api releases before the current ones, for the Delivery tab: each
 * version committed, deployed to staging, then to production; 1.1.1 failed in production and
 * 1.1.2 fixed it hours later; 1.2.1 was rolled back to 1.2.0 within the hour.
 * [version, committed, staging, production, production state] in days ago.
 */
const paymentsHistory = [
  ['1.0.0', 28, 27.5, 27, 'success'],
  ['1.0.1', 24.6, 24.3, 24, 'success'],
  ['1.1.0', 22, 21.2, 21, 'success'],
  ['1.1.1', 18.4, 18.2, 18, 'failure'],
  ['1.1.2', 17.9, undefined, 17.8, 'success'],
  ['1.2.0', 15, 14.3, 14, 'success'],
  ['1.2.1', 10.5, undefined, 10, 'success'],
  ['1.2.0', 15, undefined, 9.97, 'success'],
  ['1.3.0', 7.5, 7.2, 7, 'success'],
  ['1.3.1', 5.4, 5.2, 5, 'success'],
].flatMap(([version, committed, staging, production, state], i) => {
  const common = {
    ref: `v${version}`,
    // One commit per version (a rollback redeploys the same commit), unlike any other sha here.
    sha: version.replace(/\D/g, '').padStart(40, '7'),
    version,
    creator: ['alice', 'bob', 'carol'][i % 3],
    committedAt: daysAgo(committed),
  };
  return [
    ...(staging === undefined
      ? []
      : [
          {
            ...common,
            id: 7000 + i * 2,
            environment: 'staging',
            createdAt: daysAgo(staging),
            state: 'inactive',
          },
        ]),
    {
      ...common,
      id: 7001 + i * 2,
      environment: 'production',
      createdAt: daysAgo(production),
      state,
    },
  ];
});

/** Runs of one GitHub repository: `count` runs per workflow, newest a few minutes ago. */
function githubRuns(seed, workflows) {
  const runs = [];
  let id = seed * 1000;
  workflows.forEach(({ name, branch, results, event }, w) => {
    results.forEach((result, i) => {
      id += 1;
      const going = result === 'running';
      runs.push({
        id,
        workflow: name,
        branch,
        sha: sha(id),
        message: `[demo] ${name} change ${i + 1} on ${branch}`,
        event: event ?? 'push',
        actor: ['alice', 'bob', 'carol'][(i + w) % 3],
        status: going ? 'in_progress' : 'completed',
        conclusion: going ? null : result,
        createdAt: ago(15 + i * 95 + w * 7),
        minutes: going ? 3 : 6 + ((i + w) % 5),
        jobs: [
          { name: 'build', conclusion: going ? 'success' : 'success' },
          {
            name: 'test',
            conclusion: going
              ? null
              : result === 'failure'
              ? 'failure'
              : 'success',
          },
        ],
      });
    });
  });
  return runs;
}

const githubRepositories = [
  {
    owner: 'acme',
    repo: 'payments-api',
    defaultBranch: 'main',
    runs: githubRuns(1, [
      {
        name: 'CI',
        branch: 'main',
        results: ['running', 'success', 'failure', 'success'],
      },
      { name: 'Deploy', branch: 'main', results: ['success', 'success'] },
      {
        name: 'CI',
        branch: 'feature/wallets',
        results: ['failure', 'success'],
        event: 'pull_request',
      },
    ]),
    deployments: [
      ...paymentsHistory,
      {
        id: 7101,
        environment: 'production',
        ref: 'v1.3.2',
        sha: sha(11),
        version: '1.3.2',
        creator: 'bob',
        createdAt: ago(3 * 1440),
        committedAt: ago(3 * 1440 + 300),
        state: 'success',
      },
      {
        id: 7102,
        environment: 'staging',
        ref: 'v1.4.0',
        sha: sha(12),
        version: '1.4.0',
        creator: 'alice',
        createdAt: ago(130),
        committedAt: ago(20 * 60),
        state: 'success',
      },
      {
        id: 7103,
        environment: 'checkout-qa-1',
        ref: 'feature/wallets',
        sha: sha(13),
        creator: 'carol',
        createdAt: ago(50),
        committedAt: ago(95),
        state: 'success',
      },
    ],
  },
  {
    owner: 'acme',
    repo: 'search-api',
    defaultBranch: 'main',
    runs: githubRuns(2, [
      {
        name: 'CI',
        branch: 'main',
        results: ['success', 'success', 'success'],
      },
      { name: 'Release', branch: 'main', results: ['success'] },
    ]),
    deployments: [
      {
        id: 7201,
        environment: 'production',
        ref: 'v3.0.1',
        sha: sha(21),
        version: '3.0.1',
        creator: 'dave',
        createdAt: ago(2 * 1440),
        committedAt: ago(4 * 1440),
        state: 'success',
      },
      {
        id: 7202,
        environment: 'staging',
        ref: 'v3.0.1',
        sha: sha(21),
        version: '3.0.1',
        creator: 'dave',
        createdAt: ago(3 * 1440),
        committedAt: ago(4 * 1440),
        state: 'success',
      },
    ],
  },
];

const gitlabProjects = [
  {
    id: 4242,
    path: 'acme/checkout-web',
    defaultBranch: 'main',
    pipelines: [0, 1, 2, 3, 4].map(i => ({
      id: 880 - i,
      ref: i === 1 ? 'feature/one-page-checkout' : 'main',
      sha: sha(30 + i),
      status: ['running', 'success', 'success', 'failed', 'success'][i],
      source: 'push',
      user: ['dana', 'erin'][i % 2],
      createdAt: ago(10 + i * 120),
      minutes: 9,
      jobs: [
        { name: 'compile', stage: 'build', status: 'success' },
        {
          name: 'unit',
          stage: 'test',
          status: i === 0 ? 'running' : i === 3 ? 'failed' : 'success',
        },
        { name: 'e2e', stage: 'test', status: i === 0 ? 'pending' : 'success' },
      ],
    })),
    deployments: [
      {
        id: 9901,
        environment: 'staging',
        ref: 'v2.8.0',
        sha: sha(41),
        status: 'success',
        user: 'dana',
        createdAt: ago(300),
        committedAt: ago(26 * 60),
        pipelineId: 879,
      },
      {
        id: 9902,
        environment: 'checkout-qa-2',
        ref: 'main',
        sha: sha(42),
        status: 'success',
        user: 'erin',
        createdAt: ago(100),
        committedAt: ago(160),
        pipelineId: 878,
      },
    ],
  },
];

const build = (number, hoursAgo, overrides = {}) => ({
  number,
  result: 'SUCCESS',
  building: false,
  timestamp: now - hoursAgo * 3600_000,
  durationMs: 7 * 60_000,
  sha: sha(50 + number),
  stages: [
    { name: 'Checkout', status: 'SUCCESS' },
    { name: 'Build', status: 'SUCCESS' },
    {
      name: 'Test',
      status: overrides.result === 'FAILURE' ? 'FAILED' : 'SUCCESS',
    },
  ],
  ...overrides,
});

const jenkinsJobs = [
  {
    fullName: 'payments/ledger-service',
    builds: [
      build(41, 30, {
        user: 'erin',
        parameters: { ENVIRONMENT: 'staging-eu', VERSION: '4.1.0' },
        committedAt: now - 41 * 3600_000,
      }),
      build(42, 20),
      build(43, 9, { result: 'FAILURE' }),
      build(44, 2),
    ],
  },
  {
    fullName: 'search/indexer',
    branches: {
      main: [build(12, 26), build(13, 5)],
      'feature/synonyms': [build(3, 1, { result: 'UNSTABLE' })],
    },
  },
];

// What reached the fakes, per CI system and per path: for measuring how many upstream calls a
// page costs, apart from what the scheduled deployment sync asks meanwhile.
const stats = {
  github: { requests: 0, notModified: 0 },
  gitlab: { requests: 0, notModified: 0 },
  jenkins: { requests: 0, notModified: 0 },
};
const requestsByPath = {};

function send(res, answer, system, path) {
  if (system) {
    stats[system].requests += 1;
    if (answer.status === 304) stats[system].notModified += 1;
    requestsByPath[path] = (requestsByPath[path] ?? 0) + 1;
  }
  const headers = { ...answer.headers, 'x-demo-data': 'true' };
  if (answer.body === undefined) {
    res.writeHead(answer.status, headers).end();
    return;
  }
  res
    .writeHead(answer.status, {
      ...headers,
      'content-type': 'application/json',
    })
    .end(JSON.stringify(answer.body));
}

// Health checks of the demo environments (`/health/<name>`): up, except one that answers 503
// (down after two probes) and one that answers after 2.5 s, slower than the 2 s the plugin
// calls degraded by default.
const FAILING_ENVIRONMENTS = new Set(['checkout-qa-2']);
const SLOW_ENVIRONMENTS = new Set(['perf-lab']);
const SLOW_ANSWER_MS = 2500;

function sendHealth(res, name) {
  if (FAILING_ENVIRONMENTS.has(name)) {
    send(res, { status: 503, headers: {}, body: { status: 'unavailable' } });
  } else if (SLOW_ENVIRONMENTS.has(name)) {
    setTimeout(
      () => send(res, { status: 200, headers: {}, body: { status: 'ok' } }),
      SLOW_ANSWER_MS,
    );
  } else {
    send(res, { status: 200, headers: {}, body: { status: 'ok' } });
  }
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url, root);
  const headers = { get: name => req.headers[name.toLowerCase()] ?? null };
  const below = prefix => url.pathname.slice(prefix.length);
  if (url.pathname.startsWith('/github/')) {
    send(
      res,
      fakeGithub(githubRepositories, {
        method: req.method,
        path: below('/github'),
        query: url.searchParams,
        headers,
      }),
      'github',
      url.pathname,
    );
  } else if (url.pathname.startsWith('/gitlab/api/v4/')) {
    // GitLab takes a project path URL-encoded in one segment; keep it as sent.
    const raw = req.url.split('?')[0].slice('/gitlab/api/v4'.length);
    send(
      res,
      fakeGitlab(gitlabProjects, {
        method: req.method,
        path: raw,
        query: url.searchParams,
        headers,
      }),
      'gitlab',
      url.pathname,
    );
  } else if (url.pathname.startsWith('/jenkins/')) {
    send(
      res,
      fakeJenkins(`${root}/jenkins`, jenkinsJobs, {
        method: req.method,
        path: below('/jenkins'),
        headers,
      }),
      'jenkins',
      url.pathname,
    );
  } else if (url.pathname.startsWith('/health/')) {
    sendHealth(res, below('/health/'));
  } else if (url.pathname === '/stats') {
    send(res, { status: 200, headers: {}, body: stats });
  } else if (url.pathname === '/stats/paths') {
    send(res, { status: 200, headers: {}, body: requestsByPath });
  } else if (url.pathname === '/ready') {
    send(res, { status: 200, headers: {}, body: { ready: true } });
  } else {
    send(res, { status: 404, headers: {}, body: { message: 'Not Found' } });
  }
});

server.listen(port, '127.0.0.1', () => {
  console.log(
    `Fake GitHub, GitLab, Jenkins and health checks with demo data on ${root}`,
  );
});
const stop = () => server.close(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
