/**
 * Jenkins builds for the environments plugin.
 *
 * @packageDocumentation
 */
export { environmentsModuleJenkins as default } from './module';
export { JenkinsCiProvider, JENKINS_JOB_ANNOTATION } from './JenkinsCiProvider';
export type { JenkinsInstance } from './JenkinsCiProvider';
