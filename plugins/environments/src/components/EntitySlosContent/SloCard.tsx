import { InfoCard } from '@backstage/core-components';
import {
  SloObjectiveResult,
  SloStatus,
  SloSummary,
} from '@internal/plugin-environments-common';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { useTheme } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import { formatDateTime } from '../time';
import { ChartRange, SloCharts } from './SloCharts';
import {
  formatBudget,
  formatDuration,
  formatExhaustion,
  formatSli,
} from './sloFormat';

const STATUS_LABEL: Record<SloStatus, string> = {
  healthy: 'Healthy',
  'at-risk': 'At risk',
  breached: 'Breached',
  'no-data': 'No data',
};

const DATA_QUALITY_NOTE: Record<SloObjectiveResult['dataQuality'], string> = {
  ok: '',
  partial: 'Some of the window has no data; the SLI covers the rest.',
  'no-traffic':
    'No events were counted in the window: the SLI is unknown, not 100%.',
  absent:
    'No series matches the query in the window: check the selector, the metric may be gone.',
};

/** An SLO objective's status as a coloured chip. */
export function SloStatusChip({ status }: { status: SloStatus }) {
  const theme = useTheme();
  const colour = {
    healthy: theme.palette.success.main,
    'at-risk': theme.palette.warning.main,
    breached: theme.palette.error.main,
    'no-data': theme.palette.text.disabled,
  }[status];
  return (
    <Chip
      size="small"
      label={STATUS_LABEL[status]}
      style={{ backgroundColor: colour, color: theme.palette.common.white }}
    />
  );
}

/** The share of budget left as a bar; an overspent budget shows as a red bar to the left. */
function BudgetBar({ remaining }: { remaining?: number }) {
  const theme = useTheme();
  if (remaining === undefined) return null;
  const width = Math.min(100, Math.abs(remaining) * 100);
  const colour =
    remaining <= 0
      ? theme.palette.error.main
      : theme.palette[remaining < 0.25 ? 'warning' : 'success'].main;
  return (
    <Box
      role="meter"
      aria-label="Error budget left"
      aria-valuenow={Math.round(remaining * 1000) / 10}
      aria-valuemin={-100}
      aria-valuemax={100}
      display="flex"
      height={10}
      bgcolor={theme.palette.action.hover}
      borderRadius={5}
      overflow="hidden"
      mt={1}
      mb={1}
    >
      <Box width={`${width}%`} bgcolor={colour} />
    </Box>
  );
}

function Objective(props: {
  objective: SloObjectiveResult;
  slo: SloSummary;
  range: ChartRange;
}) {
  const { objective, slo, range } = props;
  return (
    <Box mb={3} data-testid={`objective-${slo.name}-${objective.name}`}>
      <Box display="flex" alignItems="center" justifyContent="space-between">
        <Typography variant="h6">
          {objective.name} · target {formatSli(objective.target)}
        </Typography>
        <SloStatusChip status={objective.status} />
      </Box>
      <Box display="flex" flexWrap="wrap" mt={1} style={{ gap: 32 }}>
        <div>
          <Typography variant="caption" color="textSecondary">
            SLI ({slo.window.duration})
          </Typography>
          <Typography variant="h5">{formatSli(objective.sli)}</Typography>
        </div>
        <div>
          <Typography variant="caption" color="textSecondary">
            Error budget left
          </Typography>
          <Typography variant="h5">
            {formatBudget(objective.budgetRemaining)}
          </Typography>
        </div>
        <div>
          <Typography variant="caption" color="textSecondary">
            Exhaustion
          </Typography>
          <Typography variant="body1">
            {formatExhaustion(
              objective.budgetRemaining,
              objective.timeToExhaustionMs,
            )}
          </Typography>
        </div>
      </Box>
      <BudgetBar remaining={objective.budgetRemaining} />
      {DATA_QUALITY_NOTE[objective.dataQuality] && (
        <Typography variant="body2" color="textSecondary" gutterBottom>
          {DATA_QUALITY_NOTE[objective.dataQuality]}
        </Typography>
      )}
      <Table size="small" aria-label={`Burn rates of ${objective.name}`}>
        <TableHead>
          <TableRow>
            <TableCell>Windows (long / short)</TableCell>
            <TableCell align="right">Alert above</TableCell>
            <TableCell align="right">Burn rate (long)</TableCell>
            <TableCell align="right">Burn rate (short)</TableCell>
            <TableCell>Alert</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {objective.burnRates.map(row => (
            <TableRow key={`${row.longMs}/${row.shortMs}`}>
              <TableCell>
                {formatDuration(row.longMs)} / {formatDuration(row.shortMs)}
              </TableCell>
              <TableCell align="right">{row.factor.toFixed(1)}×</TableCell>
              <TableCell align="right">
                {row.longBurnRate?.toFixed(2) ?? 'no data'}
              </TableCell>
              <TableCell align="right">
                {row.shortBurnRate?.toFixed(2) ?? 'no data'}
              </TableCell>
              <TableCell>
                {row.firing ? (
                  <Chip
                    size="small"
                    color="secondary"
                    label={`${row.severity} firing`}
                  />
                ) : (
                  <Typography variant="body2" color="textSecondary">
                    {row.severity}, quiet
                  </Typography>
                )}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <Box mt={2}>
        <SloCharts objective={objective} window={slo.window} range={range} />
      </Box>
    </Box>
  );
}

/** One SLO: where its numbers come from, and each objective with budget, burn rates and charts. */
export function SloCard(props: { slo: SloSummary; range: ChartRange }) {
  const { slo, range } = props;
  const windowKind = slo.window.rolling ? 'rolling' : 'calendar';
  return (
    <InfoCard
      title={slo.displayName ?? slo.name}
      subheader={`${slo.window.duration} ${windowKind} window · ${slo.budgetingMethod} · ${slo.file}`}
    >
      {slo.description && (
        <Typography variant="body2" gutterBottom>
          {slo.description}
        </Typography>
      )}
      {slo.source.status === 'stale' && (
        <Alert severity="warning" style={{ marginBottom: 16 }}>
          Showing the last known values from {formatDateTime(slo.source.asOf!)}:{' '}
          {slo.source.reason}
        </Alert>
      )}
      {slo.source.status === 'unavailable' && (
        <Alert severity="error" style={{ marginBottom: 16 }}>
          The SLI source could not be read and nothing is known yet:{' '}
          {slo.source.reason}
        </Alert>
      )}
      {slo.source.status === 'not-configured' && (
        <Alert severity="info" style={{ marginBottom: 16 }}>
          No SLI source is configured for “{slo.source.type}”: install the
          backend module and set it up to see objectives, budgets and burn
          rates.
        </Alert>
      )}
      {slo.objectives.map(objective => (
        <Objective
          key={objective.name}
          objective={objective}
          slo={slo}
          range={range}
        />
      ))}
    </InfoCard>
  );
}
