import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { DoraBand, DoraMetric } from '@internal/plugin-environments-common';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import FormControl from '@material-ui/core/FormControl';
import Grid from '@material-ui/core/Grid';
import InputLabel from '@material-ui/core/InputLabel';
import MenuItem from '@material-ui/core/MenuItem';
import Paper from '@material-ui/core/Paper';
import Select from '@material-ui/core/Select';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { environmentsApiRef } from '../../api';
import { BAND_LABELS, formatDoraValue } from './doraFormat';

const DAY_MS = 24 * 3600_000;
const PERIODS = [7, 30, 90];
/** The environment picker's value for every production-tier environment. */
const PRODUCTION = '*';

const useStyles = makeStyles(theme => ({
  tile: { padding: theme.spacing(2), height: '100%' },
  value: { margin: theme.spacing(1, 0) },
  elite: { backgroundColor: theme.palette.success.main, color: '#fff' },
  high: { backgroundColor: theme.palette.info.main, color: '#fff' },
  medium: { backgroundColor: theme.palette.warning.main, color: '#000' },
  low: { backgroundColor: theme.palette.error.main, color: '#fff' },
}));

function MetricTile({ metric }: { metric: DoraMetric }) {
  const classes = useStyles();
  const band: DoraBand | undefined = metric.band;
  return (
    <Paper
      variant="outlined"
      className={classes.tile}
      role="group"
      aria-label={metric.title}
    >
      <Typography variant="subtitle2">{metric.title}</Typography>
      <Typography variant="h4" className={classes.value}>
        {formatDoraValue(metric)}
      </Typography>
      {band ? (
        <Chip
          size="small"
          label={BAND_LABELS[band]}
          className={classes[band]}
          aria-label={`${BAND_LABELS[band]} performance`}
        />
      ) : (
        <Chip size="small" label="No data" variant="outlined" />
      )}
      <Typography variant="body2" color="textSecondary">
        from {metric.sampleSize} {metric.sampleOf}
        {metric.note ? ` (${metric.note})` : ''}
      </Typography>
    </Paper>
  );
}

/**
 * The four DORA metrics of a component, system or group, with their bands and sample sizes,
 * for a period and an environment (every production-tier one by default), and what counts as a
 * failed change. Read from the plugin's stored deployments and SLO history.
 */
export function DoraCard({ entityRef }: { entityRef: string }) {
  const api = useApi(environmentsApiRef);
  const [days, setDays] = useState(30);
  const [environment, setEnvironment] = useState(PRODUCTION);
  const report = useAsync(() => {
    const to = new Date();
    return api.getDoraMetrics({
      entityRef,
      environment: environment === PRODUCTION ? undefined : environment,
      from: new Date(to.getTime() - days * DAY_MS).toISOString(),
      to: to.toISOString(),
    });
  }, [api, entityRef, days, environment]);

  const value = report.value;
  return (
    <InfoCard title="Delivery performance (DORA)">
      <Box display="flex" flexWrap="wrap" style={{ gap: 16 }} mb={2}>
        <FormControl variant="outlined" size="small" style={{ minWidth: 160 }}>
          <InputLabel id="dora-period-label">Period</InputLabel>
          <Select
            labelId="dora-period-label"
            label="Period"
            value={days}
            onChange={event => setDays(Number(event.target.value))}
          >
            {PERIODS.map(n => (
              <MenuItem key={n} value={n}>
                Last {n} days
              </MenuItem>
            ))}
          </Select>
        </FormControl>
        <FormControl variant="outlined" size="small" style={{ minWidth: 220 }}>
          <InputLabel id="dora-environment-label">Environment</InputLabel>
          <Select
            labelId="dora-environment-label"
            label="Environment"
            value={environment}
            onChange={event => setEnvironment(event.target.value as string)}
          >
            <MenuItem value={PRODUCTION}>Production environments</MenuItem>
            {value?.availableEnvironments.map(env => (
              <MenuItem key={env.entityRef} value={env.entityRef}>
                {env.title ?? env.name} ({env.tier})
              </MenuItem>
            ))}
          </Select>
        </FormControl>
      </Box>
      {report.loading && <Progress />}
      {report.error && <ResponseErrorPanel error={report.error} />}
      {value && (
        <>
          <Typography variant="body2" color="textSecondary" paragraph>
            {new Date(value.from).toLocaleDateString()} –{' '}
            {new Date(value.to).toLocaleDateString()},{' '}
            {value.environments.length === 0
              ? 'no environment deployed to yet'
              : value.environments.map(env => env.title ?? env.name).join(', ')}
            {value.kind === 'component'
              ? ''
              : `; ${value.components.length} component(s) together`}
          </Typography>
          <Grid container spacing={2}>
            {value.metrics.map(metric => (
              <Grid item xs={12} sm={6} md={3} key={metric.key}>
                <MetricTile metric={metric} />
              </Grid>
            ))}
          </Grid>
          <Box mt={2}>
            <Typography variant="body2">
              <strong>Change failure:</strong> {value.changeFailureDefinition}
            </Typography>
            <Typography variant="caption" color="textSecondary">
              Bands from the {value.bandSource}. Computed from the deployments
              the plugin has synced and its SLO history, not from the CI systems
              on view.
            </Typography>
          </Box>
        </>
      )}
    </InfoCard>
  );
}
