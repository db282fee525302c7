import { CiRun, CiRunStatus } from '@internal/plugin-environments-common';
import { defaultBranchHealth } from './pipelineHealth';

const run = (name: string, branch: string, status: CiRunStatus): CiRun => ({
  provider: 'github',
  id: `${name}-${branch}`,
  name,
  branch,
  status,
});

const github = (defaultBranch: string | undefined, latest: CiRun[]) => ({
  provider: 'github',
  status: 'ok' as const,
  defaultBranch,
  latest,
});

describe('defaultBranchHealth', () => {
  it('is failing when a workflow failed on the default branch, whatever the others did', () => {
    const health = defaultBranchHealth([
      github('main', [
        run('build', 'main', 'succeeded'),
        run('deploy', 'main', 'failed'),
        run('build', 'feature/x', 'succeeded'),
      ]),
    ]);
    expect(health.status).toBe('failing');
    // Only the default branch's runs are kept.
    expect(health.providers[0].latest.map(r => r.id)).toEqual([
      'build-main',
      'deploy-main',
    ]);
  });

  it('ignores red builds of other branches', () => {
    expect(
      defaultBranchHealth([
        github('main', [
          run('build', 'main', 'succeeded'),
          run('build', 'feature/x', 'failed'),
        ]),
      ]).status,
    ).toBe('passing');
  });

  it('is running when nothing failed and a run is queued or going', () => {
    expect(
      defaultBranchHealth([
        github('main', [
          run('build', 'main', 'succeeded'),
          run('deploy', 'main', 'queued'),
        ]),
      ]).status,
    ).toBe('running');
  });

  it('takes the worst over providers: a failed Jenkins job beside green GitHub runs', () => {
    expect(
      defaultBranchHealth([
        github('main', [run('build', 'main', 'succeeded')]),
        {
          provider: 'jenkins',
          status: 'stale',
          reason: 'Jenkins answered 503',
          defaultBranch: 'master',
          latest: [{ ...run('job', 'master', 'failed'), provider: 'jenkins' }],
        },
      ]).status,
    ).toBe('failing');
  });

  it('is unknown without CI, without runs, with only cancelled runs, or without a known default branch', () => {
    expect(defaultBranchHealth([]).status).toBe('unknown');
    expect(defaultBranchHealth([github('main', [])]).status).toBe('unknown');
    expect(
      defaultBranchHealth([github('main', [run('build', 'main', 'cancelled')])])
        .status,
    ).toBe('unknown');
    const health = defaultBranchHealth([
      github(undefined, [run('build', 'main', 'failed')]),
    ]);
    expect(health.status).toBe('unknown');
    expect(health.providers[0].latest).toEqual([]);
  });

  it('keeps each provider with its freshness, even an unavailable one without runs', () => {
    const health = defaultBranchHealth([
      {
        provider: 'gitlab',
        status: 'unavailable',
        reason: 'timed out',
        latest: [],
      },
    ]);
    expect(health.providers).toEqual([
      {
        provider: 'gitlab',
        status: 'unavailable',
        reason: 'timed out',
        latest: [],
      },
    ]);
  });
});
