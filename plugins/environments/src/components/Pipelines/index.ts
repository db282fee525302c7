export { PipelinesPanel } from './PipelinesPanel';
export { VersionMatrix } from './VersionMatrix';
export { DeployedVersion } from './DeployedVersion';
