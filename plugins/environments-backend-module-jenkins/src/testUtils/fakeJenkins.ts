// A fake Jenkins remote access API for tests and the demo: folders, pipeline jobs, multibranch
// projects, builds with parameters and Git revisions, and Pipeline Stage View stages, shaped
// like Jenkins' `api/json` and `wfapi/describe` answers. Only Node built-ins and erasable
// TypeScript, so `node` can serve it.

export interface FakeBuild {
  number: number;
  result: 'SUCCESS' | 'FAILURE' | 'UNSTABLE' | 'ABORTED' | 'NOT_BUILT' | null;
  building: boolean;
  /** ms since the epoch */
  timestamp: number;
  durationMs: number;
  sha: string;
  /** When `sha` was committed (ms since the epoch): the build's change set lists it. */
  committedAt?: number;
  user?: string;
  parameters?: Record<string, string>;
  stages: Array<{
    name: string;
    status: 'SUCCESS' | 'FAILED' | 'IN_PROGRESS' | 'ABORTED' | 'NOT_EXECUTED';
  }>;
}

/** A job; a multibranch project has branches instead of builds. */
export interface FakeJob {
  /** e.g. `payments/ledger-service` */
  fullName: string;
  builds?: FakeBuild[];
  branches?: Record<string, FakeBuild[]>;
}

export interface FakeJenkinsRequest {
  method: string;
  /** Path below the Jenkins root, e.g. `/job/payments/job/ledger-service/api/json`. */
  path: string;
  headers: { get(name: string): string | null };
}

export interface FakeJenkinsResponse {
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

const jobPath = (fullName: string) =>
  fullName
    .split('/')
    .map(part => `/job/${encodeURIComponent(part)}`)
    .join('');

function build(root: string, path: string, item: FakeBuild, branch?: string) {
  const url = `${root}${path}/${item.number}/`;
  const actions: unknown[] = [
    {
      _class: 'hudson.model.CauseAction',
      causes: item.user
        ? [
            {
              _class: 'hudson.model.Cause$UserIdCause',
              shortDescription: `Started by user ${item.user}`,
              userId: item.user,
              userName: item.user,
            },
          ]
        : [
            {
              _class: 'jenkins.branch.BranchEventCause',
              shortDescription: 'Push event to branch',
            },
          ],
    },
    {
      _class: 'hudson.plugins.git.util.BuildData',
      lastBuiltRevision: {
        SHA1: item.sha,
        branch: [
          { SHA1: item.sha, name: `refs/remotes/origin/${branch ?? 'main'}` },
        ],
      },
    },
  ];
  if (item.parameters) {
    actions.unshift({
      _class: 'hudson.model.ParametersAction',
      parameters: Object.entries(item.parameters).map(([name, value]) => ({
        _class: 'hudson.model.StringParameterValue',
        name,
        value,
      })),
    });
  }
  return {
    _class: 'org.jenkinsci.plugins.workflow.job.WorkflowRun',
    number: item.number,
    url,
    displayName: `#${item.number}`,
    fullDisplayName: `${path} #${item.number}`,
    result: item.result,
    building: item.building,
    timestamp: item.timestamp,
    duration: item.building ? 0 : item.durationMs,
    estimatedDuration: item.durationMs,
    actions,
    // The commits new since the previous build, as the Git plugin reports them.
    changeSets:
      item.committedAt === undefined
        ? []
        : [
            {
              _class: 'hudson.plugins.git.GitChangeSetList',
              kind: 'git',
              items: [
                {
                  _class: 'hudson.plugins.git.GitChangeSet',
                  affectedPaths: ['src/main.ts'],
                  commitId: item.sha,
                  timestamp: item.committedAt,
                  author: {
                    absoluteUrl: `${root}/user/${item.user ?? 'dev'}`,
                    fullName: item.user ?? 'dev',
                  },
                  authorEmail: `${item.user ?? 'dev'}@example.com`,
                  comment: `Build ${item.number} change\n`,
                  date: new Date(item.committedAt)
                    .toISOString()
                    .replace('T', ' ')
                    .replace(/\.\d{3}Z$/, ' +0000'),
                  id: item.sha,
                  msg: `Build ${item.number} change`,
                  paths: [{ editType: 'edit', file: 'src/main.ts' }],
                },
              ],
            },
          ],
  };
}

function runStatus(item: FakeBuild): string {
  if (item.building) return 'IN_PROGRESS';
  return item.result === 'SUCCESS' ? 'SUCCESS' : 'FAILED';
}

function describe(path: string, item: FakeBuild) {
  const step = item.durationMs / Math.max(1, item.stages.length);
  return {
    _links: { self: { href: `${path}/${item.number}/wfapi/describe` } },
    id: String(item.number),
    name: `#${item.number}`,
    status: runStatus(item),
    startTimeMillis: item.timestamp,
    endTimeMillis: item.timestamp + item.durationMs,
    durationMillis: item.durationMs,
    stages: item.stages.map((stage, index) => ({
      _links: {
        self: {
          href: `${path}/${item.number}/execution/node/${
            index + 6
          }/wfapi/describe`,
        },
      },
      id: String(index + 6),
      name: stage.name,
      execNode: '',
      status: stage.status,
      startTimeMillis: item.timestamp + index * step,
      durationMillis: stage.status === 'IN_PROGRESS' ? 0 : step,
      pauseDurationMillis: 0,
    })),
  };
}

/** Answers a request against the fake jobs, like Jenkins' remote access API. */
export function fakeJenkins(
  root: string,
  jobs: FakeJob[],
  request: FakeJenkinsRequest,
): FakeJenkinsResponse {
  const notFound: FakeJenkinsResponse = {
    status: 404,
    headers: { 'content-type': 'text/html' },
    body: undefined,
  };
  const json = (body: unknown, status = 200): FakeJenkinsResponse => ({
    status,
    headers: {
      'content-type': 'application/json;charset=utf-8',
      'x-jenkins': '2.479.1',
    },
    body,
  });
  const sorted = (builds: FakeBuild[]) =>
    [...builds].sort((a, b) => b.number - a.number);
  for (const job of jobs) {
    const path = jobPath(job.fullName);
    if (!request.path.startsWith(path)) continue;
    const rest = request.path.slice(path.length);
    if (job.branches) {
      if (rest === '/api/json') {
        return json({
          _class:
            'org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject',
          name: job.fullName.split('/').pop(),
          fullName: job.fullName,
          url: `${root}${path}/`,
          jobs: Object.keys(job.branches).map(branch => ({
            _class: 'org.jenkinsci.plugins.workflow.job.WorkflowJob',
            name: encodeURIComponent(branch),
            url: `${root}${path}/job/${encodeURIComponent(
              encodeURIComponent(branch),
            )}/`,
          })),
        });
      }
      const inBranch = /^\/job\/([^/]+)(\/.*)$/.exec(rest);
      const branch =
        inBranch && decodeURIComponent(decodeURIComponent(inBranch[1]));
      const builds = branch ? job.branches[branch] : undefined;
      if (!builds || !inBranch) return notFound;
      return answerForJob(
        root,
        `${path}/job/${inBranch[1]}`,
        inBranch[2],
        builds,
        branch!,
      );
    }
    return answerForJob(root, path, rest, job.builds ?? [], undefined);
  }
  return notFound;

  function answerForJob(
    base: string,
    path: string,
    rest: string,
    builds: FakeBuild[],
    branch: string | undefined,
  ): FakeJenkinsResponse {
    if (request.method === 'POST') {
      return /^\/(build|buildWithParameters)$/.test(rest)
        ? { status: 201, headers: { location: `${base}/queue/item/7/` } }
        : notFound;
    }
    if (rest === '/api/json') {
      return json({
        _class: 'org.jenkinsci.plugins.workflow.job.WorkflowJob',
        name: path.split('/job/').pop(),
        url: `${base}${path}/`,
        builds: sorted(builds).map(item => build(base, path, item, branch)),
      });
    }
    const one = /^\/(\d+)\/(api\/json|wfapi\/describe)$/.exec(rest);
    const item = one && builds.find(b => b.number === Number(one[1]));
    if (!item) return notFound;
    return json(
      one[2] === 'api/json'
        ? build(base, path, item, branch)
        : describe(path, item),
    );
  }
}
