import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import Grid from '@material-ui/core/Grid';
import { useMemo } from 'react';
import useAsync from 'react-use/esm/useAsync';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { environmentsApiRef } from '../../api';
import { EnvironmentsTable } from '../EnvironmentsTable';
import { PipelinesPanel } from '../Pipelines';
import { SourceStateNote } from '../Pipelines/SourceStateNote';

/**
 * The Environments tab: environments of the entity's system and those it depends on, what the
 * entity runs in each of them, and its pipelines.
 */
export function EntityEnvironmentsContent() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const api = useApi(environmentsApiRef);
  const { value, loading, error, retry } = useAsyncRetry(
    () => api.listEnvironments({ entityRef }),
    [api, entityRef],
  );
  // Deployments come from the plugin's own table; without them the column stays empty.
  const deployments = useAsync(
    () => api.getEntityDeployments(entityRef),
    [api, entityRef],
  );
  const deployed = useMemo(
    () =>
      new Map(
        deployments.value?.current.map(cell => [cell.environmentRef, cell]),
      ),
    [deployments.value],
  );

  if (loading && !value) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        {/* The deployed versions are as old as the last sync that worked: say so. */}
        {deployments.value?.sync.map(state => (
          <SourceStateNote
            key={state.provider}
            state={state}
            subject="Deployed versions"
          />
        ))}
        <EnvironmentsTable
          title="Environments"
          environments={value ?? []}
          onChanged={retry}
          deployed={deployed}
          emptyContent={
            <EmptyState
              missing="data"
              title="This component runs in no known environment"
              description="An environment is linked to a component when both belong to the same system (spec.system), or when the component lists the environment resource in spec.dependsOn."
            />
          }
        />
      </Grid>
      <Grid item xs={12}>
        <PipelinesPanel entityRef={entityRef} />
      </Grid>
    </Grid>
  );
}
