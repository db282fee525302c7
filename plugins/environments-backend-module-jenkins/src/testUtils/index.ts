/**
 * A fake Jenkins for tests and the demo.
 *
 * @packageDocumentation
 */
export { fakeJenkins } from './fakeJenkins';
export type {
  FakeBuild,
  FakeJenkinsRequest,
  FakeJenkinsResponse,
  FakeJob,
} from './fakeJenkins';
