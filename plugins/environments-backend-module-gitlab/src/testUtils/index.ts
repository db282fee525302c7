/**
 * A fake GitLab API for tests and the demo.
 *
 * @packageDocumentation
 */
export { fakeGitlab } from './fakeGitlab';
export type {
  FakeGitlabDeployment,
  FakeGitlabRequest,
  FakeGitlabResponse,
  FakePipeline,
  FakeProject,
} from './fakeGitlab';
