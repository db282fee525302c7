import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import {
  CiRun,
  pipelineRerunPermission,
} from '@internal/plugin-environments-common';
import { usePermission } from '@backstage/plugin-permission-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { environmentsApiRef } from '../../api';
import { DemoDataNote } from './DemoDataNote';
import { RunHistory, RunsTable } from './RunHistory';
import { providerName, SourceStateNote } from './SourceStateNote';

/**
 * The pipelines of an entity: per CI provider, the latest run of each workflow on each branch
 * (the default branch first), and the run history on demand.
 */
export function PipelinesPanel({ entityRef }: { entityRef: string }) {
  const api = useApi(environmentsApiRef);
  const summary = useAsync(
    () => api.getPipelineSummary(entityRef),
    [api, entityRef],
  );
  const [history, setHistory] = useState<string>();
  const alertApi = useApi(alertApiRef);
  const { allowed: mayRerun } = usePermission({
    permission: pipelineRerunPermission,
  });
  const rerun = async (run: CiRun) => {
    try {
      await api.rerunPipeline(entityRef, run.provider, run.id);
      alertApi.post({
        message: `${providerName(run.provider)} is running ${run.name} again`,
        severity: 'success',
        display: 'transient',
      });
    } catch (error) {
      alertApi.post({
        message: `Could not re-run ${run.name}: ${(error as Error).message}`,
        severity: 'error',
      });
    }
  };

  return (
    <InfoCard title="Pipelines">
      <DemoDataNote what="these pipelines" />
      {summary.loading && <Progress />}
      {summary.error && <ResponseErrorPanel error={summary.error} />}
      {summary.value?.providers.length === 0 && (
        <Typography variant="body2">
          No CI system is linked to this component. Add github.com/project-slug,
          gitlab.com/project-slug (or project-id) or jenkins.io/job-full-name to
          its catalog entry.
        </Typography>
      )}
      {summary.value?.providers.map(provider => (
        <Box key={provider.provider} mb={3}>
          <Box
            display="flex"
            alignItems="center"
            justifyContent="space-between"
          >
            <Typography variant="h6">
              {providerName(provider.provider)}
            </Typography>
            <Button
              size="small"
              onClick={() =>
                setHistory(
                  history === provider.provider ? undefined : provider.provider,
                )
              }
            >
              {history === provider.provider ? 'Hide history' : 'History'}
            </Button>
          </Box>
          <SourceStateNote state={provider} />
          <RunsTable
            runs={provider.latest}
            defaultBranch={provider.defaultBranch}
            label={`Latest ${providerName(provider.provider)} runs`}
            onRerun={mayRerun ? rerun : undefined}
          />
          {history === provider.provider && (
            <Box mt={2}>
              <RunHistory entityRef={entityRef} provider={provider.provider} />
            </Box>
          )}
        </Box>
      ))}
    </InfoCard>
  );
}
