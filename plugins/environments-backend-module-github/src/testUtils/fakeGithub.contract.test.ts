import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { FakeDeployment, FakeRepository, FakeRun } from './fakeGithub';
import { githubShapes } from './fakeGithub';

// GitHub's official OpenAPI description (@octokit/openapi, a test-only dependency).
import spec from '@octokit/openapi/generated/api.github.com.json';

const repo: FakeRepository = {
  owner: 'acme',
  repo: 'payments-api',
  defaultBranch: 'main',
  runs: [],
  deployments: [],
};
const completed: FakeRun = {
  id: 9001,
  workflow: 'CI',
  branch: 'main',
  sha: 'a'.repeat(40),
  message: 'Speed up card tokenisation\n\nDetails.',
  event: 'push',
  actor: 'alice',
  status: 'completed',
  conclusion: 'success',
  createdAt: '2026-11-27T08:00:00Z',
  minutes: 7,
  jobs: [
    { name: 'build', conclusion: 'success' },
    { name: 'test', conclusion: 'success' },
  ],
};
const going: FakeRun = {
  ...completed,
  id: 9002,
  status: 'in_progress',
  conclusion: null,
  jobs: [{ name: 'build', conclusion: null }],
};
const deployment: FakeDeployment = {
  id: 501,
  environment: 'production',
  ref: 'v1.3.2',
  sha: 'b'.repeat(40),
  version: '1.3.2',
  creator: 'bob',
  createdAt: '2026-11-26T15:00:00Z',
  committedAt: '2026-11-26T11:30:00Z',
  state: 'success',
};

/**
 * OpenAPI 3.0's `nullable` allows null even where an `enum` does not list it (GitHub sends a
 * null conclusion for jobs still running); JSON Schema needs null in the enum to say so. On a
 * schema with no `type` of its own (a commit's `author`: one of two shapes, or null), JSON
 * Schema needs null as one more choice.
 */
function allowNullInNullableEnums(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(allowNullInNullableEnums);
  if (typeof node !== 'object' || node === null) return node;
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    copy[key] = allowNullInNullableEnums(value);
  }
  if (
    copy.nullable === true &&
    Array.isArray(copy.enum) &&
    !copy.enum.includes(null)
  ) {
    copy.enum = [...copy.enum, null];
  }
  if (copy.nullable === true && copy.type === undefined && copy.oneOf) {
    delete copy.nullable;
    copy.oneOf = [...(copy.oneOf as unknown[]), { type: 'null' }];
  }
  return copy;
}

describe("the fake GitHub's answers", () => {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(allowNullInNullableEnums(spec) as object, 'github');
  /** Where the value differs from GitHub's schema: each error names the field. */
  const mismatches = (schema: string, value: unknown) => {
    const validate = ajv.compile({
      $ref: `github#/components/schemas/${schema}`,
    });
    return validate(value) ? [] : validate.errors;
  };

  it('match GitHub’s description of a repository', () => {
    expect(
      mismatches('full-repository', githubShapes.fullRepository(repo)),
    ).toEqual([]);
  });

  it('match GitHub’s description of workflow runs, finished and going', () => {
    expect(
      mismatches('workflow-run', githubShapes.workflowRun(repo, completed)),
    ).toEqual([]);
    expect(
      mismatches('workflow-run', githubShapes.workflowRun(repo, going)),
    ).toEqual([]);
  });

  it('match GitHub’s description of workflows', () => {
    expect(mismatches('workflow', githubShapes.workflow(repo, 'CI'))).toEqual(
      [],
    );
  });

  it('match GitHub’s description of jobs', () => {
    for (const job of [
      ...githubShapes.jobs(repo, completed),
      ...githubShapes.jobs(repo, going),
    ]) {
      expect(mismatches('job', job)).toEqual([]);
    }
  });

  it('match GitHub’s description of deployments and their statuses', () => {
    expect(
      mismatches('deployment', githubShapes.deployment(repo, deployment)),
    ).toEqual([]);
    expect(
      mismatches(
        'deployment-status',
        githubShapes.deploymentStatus(repo, deployment),
      ),
    ).toEqual([]);
  });

  it('match GitHub’s description of a deployed commit', () => {
    expect(mismatches('commit', githubShapes.commit(repo, deployment))).toEqual(
      [],
    );
  });
});
