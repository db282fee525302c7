import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  InfoCard,
  MissingAnnotationEmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { ANNOTATION_SLO_FILES } from '@internal/plugin-environments-common';
import Chip from '@material-ui/core/Chip';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import { environmentsApiRef } from '../../api';

/**
 * The SLOs tab. It shows where the entity's OpenSLO definitions live and the environments its
 * objectives can be scoped to; objectives, budgets and burn rates need an SLI source in the
 * backend, which is not installed yet, and the tab says so instead of inventing numbers.
 */
export function EntitySlosContent() {
  const { entity } = useEntity();
  const definitions = entity.metadata.annotations?.[ANNOTATION_SLO_FILES];
  const entityRef = stringifyEntityRef(entity);
  const api = useApi(environmentsApiRef);
  const environments = useAsync(
    () => api.listEnvironments({ entityRef }),
    [api, entityRef],
  );

  if (!definitions) {
    return <MissingAnnotationEmptyState annotation={ANNOTATION_SLO_FILES} />;
  }
  return (
    <Grid container spacing={3}>
      <Grid item xs={12} md={6}>
        <InfoCard title="SLO definitions">
          <Typography variant="body2" gutterBottom>
            OpenSLO files: <code>{definitions}</code>
          </Typography>
          <Typography variant="body2" color="textSecondary">
            Objectives, error budgets and burn rates show here once the backend
            has an SLI source module (Prometheus) installed.
          </Typography>
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={6}>
        <InfoCard title="Environments">
          {environments.loading && <Progress />}
          {environments.error && (
            <ResponseErrorPanel error={environments.error} />
          )}
          {environments.value?.length === 0 && (
            <Typography variant="body2">
              No environment is linked to this component.
            </Typography>
          )}
          {environments.value?.map(env => (
            <Chip
              key={env.entityRef}
              label={env.title ?? env.name}
              style={{ margin: 4 }}
            />
          ))}
        </InfoCard>
      </Grid>
    </Grid>
  );
}
