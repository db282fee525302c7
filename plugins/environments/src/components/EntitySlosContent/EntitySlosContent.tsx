import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  MissingAnnotationEmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { ANNOTATION_SLO_FILES } from '@internal/plugin-environments-common';
import Box from '@material-ui/core/Box';
import FormControl from '@material-ui/core/FormControl';
import Grid from '@material-ui/core/Grid';
import InputLabel from '@material-ui/core/InputLabel';
import MenuItem from '@material-ui/core/MenuItem';
import Select from '@material-ui/core/Select';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import ToggleButton from '@material-ui/lab/ToggleButton';
import ToggleButtonGroup from '@material-ui/lab/ToggleButtonGroup';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { environmentsApiRef } from '../../api';
import { ChartRange } from './SloCharts';
import { SloCard } from './SloCard';

const ALL = '';

/**
 * The SLOs tab: every SLO in the entity's OpenSLO files with its SLI, error budget, burn rates
 * and charts, for one of its environments or all together. Documents that could not be used
 * are listed with their file, line and reason; the rest still show.
 */
export function EntitySlosContent() {
  const { entity } = useEntity();
  const definitions = entity.metadata.annotations?.[ANNOTATION_SLO_FILES];
  const entityRef = stringifyEntityRef(entity);
  const api = useApi(environmentsApiRef);
  const [environment, setEnvironment] = useState(ALL);
  const [range, setRange] = useState<ChartRange>('window');
  const slos = useAsync(
    () =>
      definitions
        ? api.getEntitySlos(entityRef, environment || undefined)
        : Promise.resolve(undefined),
    [api, entityRef, environment, definitions],
  );

  if (!definitions) {
    return <MissingAnnotationEmptyState annotation={ANNOTATION_SLO_FILES} />;
  }
  const scoped = slos.value?.items.some(slo => slo.environmentLabel);
  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <Box
          display="flex"
          alignItems="center"
          flexWrap="wrap"
          style={{ gap: 24 }}
        >
          <FormControl
            variant="outlined"
            size="small"
            style={{ minWidth: 220 }}
          >
            <InputLabel id="slo-environment-label">Environment</InputLabel>
            <Select
              labelId="slo-environment-label"
              label="Environment"
              value={environment}
              disabled={!scoped}
              onChange={event => setEnvironment(event.target.value as string)}
            >
              <MenuItem value={ALL}>All environments</MenuItem>
              {slos.value?.environments.map(env => (
                <MenuItem key={env.entityRef} value={env.name}>
                  {env.title ?? env.name}
                </MenuItem>
              ))}
            </Select>
          </FormControl>
          <ToggleButtonGroup
            size="small"
            exclusive
            value={range}
            onChange={(_event, value: ChartRange | null) =>
              value && setRange(value)
            }
            aria-label="Chart range"
          >
            <ToggleButton value="1d">Last day</ToggleButton>
            <ToggleButton value="7d">Last 7 days</ToggleButton>
            <ToggleButton value="window">Whole window</ToggleButton>
          </ToggleButtonGroup>
          <Typography variant="body2" color="textSecondary">
            OpenSLO files: <code>{definitions}</code>
          </Typography>
        </Box>
      </Grid>
      {slos.loading && (
        <Grid item xs={12}>
          <Progress />
        </Grid>
      )}
      {slos.error && (
        <Grid item xs={12}>
          <ResponseErrorPanel error={slos.error} />
        </Grid>
      )}
      {slos.value && slos.value.sources.length === 0 && (
        <Grid item xs={12}>
          <Alert severity="info">
            No SLI source is configured in the backend. Install
            @internal/plugin-environments-backend-module-prometheus and set
            environments.prometheus.baseUrl to see objectives, error budgets and
            burn rates.
          </Alert>
        </Grid>
      )}
      {slos.value?.problems.map(problem => (
        <Grid
          item
          xs={12}
          key={`${problem.file}:${problem.line}:${problem.field}`}
        >
          <Alert severity="warning">
            <strong>
              {problem.file}
              {problem.line !== undefined && `, line ${problem.line}`}
              {problem.field && `, ${problem.field}`}
            </strong>
            : {problem.message}
          </Alert>
        </Grid>
      ))}
      {slos.value?.items.length === 0 && slos.value.problems.length === 0 && (
        <Grid item xs={12}>
          <Typography variant="body2">
            The SLO files define no SLO (kind: SLO, apiVersion: openslo/v1).
          </Typography>
        </Grid>
      )}
      {slos.value?.items.map(slo => (
        <Grid item xs={12} key={`${slo.file}:${slo.name}`}>
          <SloCard slo={slo} range={range} />
        </Grid>
      ))}
    </Grid>
  );
}
