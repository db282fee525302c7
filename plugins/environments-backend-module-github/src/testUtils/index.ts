/**
 * A fake GitHub API for tests and the demo.
 *
 * @packageDocumentation
 */
export { fakeGithub, githubShapes } from './fakeGithub';
export type {
  FakeDeployment,
  FakeRepository,
  FakeRequest,
  FakeResponse,
  FakeRun,
} from './fakeGithub';
