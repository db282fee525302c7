import {
  PipelineSummary,
  TeamComponentPipelines,
  TeamPipelineStatus,
} from '@internal/plugin-environments-common';

/**
 * A component's pipeline health from its pipeline summary: each provider keeps only the latest
 * runs on its default branch (one per workflow), and the status is the worst of them (see
 * `TeamPipelineStatus`). A provider that does not know its default branch contributes no runs:
 * a feature branch's red build says nothing about the team's mainline.
 */
export function defaultBranchHealth(
  providers: PipelineSummary['providers'],
): Pick<TeamComponentPipelines, 'status' | 'providers'> {
  const onDefault = providers.map(provider => ({
    ...provider,
    latest: provider.latest.filter(
      run =>
        provider.defaultBranch !== undefined &&
        run.branch === provider.defaultBranch,
    ),
  }));
  const statuses = onDefault.flatMap(p => p.latest.map(run => run.status));
  let status: TeamPipelineStatus = 'unknown';
  if (statuses.includes('failed')) status = 'failing';
  else if (statuses.some(s => s === 'queued' || s === 'running'))
    status = 'running';
  else if (statuses.includes('succeeded')) status = 'passing';
  return { status, providers: onDefault };
}
