/**
 * GitLab CI pipelines and GitLab deployments for the environments plugin.
 *
 * @packageDocumentation
 */
export { environmentsModuleGitlab as default } from './module';
export {
  GitlabCiProvider,
  GITLAB_INSTANCE_ANNOTATION,
  GITLAB_PROJECT_ID_ANNOTATION,
  GITLAB_PROJECT_SLUG_ANNOTATION,
} from './GitlabCiProvider';
