/**
 * GitHub Actions runs and GitHub deployments for the environments plugin.
 *
 * @packageDocumentation
 */
export { environmentsModuleGithub as default } from './module';
export {
  GithubCiProvider,
  GITHUB_PROJECT_SLUG_ANNOTATION,
  CI_WORKFLOWS_ANNOTATION,
} from './GithubCiProvider';
