import { SloObjectiveResult } from '@internal/plugin-environments-common';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { useTheme } from '@material-ui/core/styles';
import {
  CartesianGrid,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { formatBudget, formatSli } from './sloFormat';

const DAY = 86_400_000;

/** How much of the window the charts show. */
export type ChartRange = '1d' | '7d' | 'window';

const RANGE_MS: Record<ChartRange, number> = {
  '1d': DAY,
  '7d': 7 * DAY,
  window: Infinity,
};

function tick(time: number, rangeMs: number): string {
  return new Date(time).toLocaleString(
    undefined,
    rangeMs <= DAY
      ? { hour: '2-digit', minute: '2-digit' }
      : { month: 'short', day: 'numeric' },
  );
}

/**
 * The error budget burning down against the ideal line (spending exactly the budget over the
 * window) and the SLI against its target, both cumulative from the window's start.
 */
export function SloCharts(props: {
  objective: SloObjectiveResult;
  window: { start: string; end: string };
  range: ChartRange;
}) {
  const { objective, window, range } = props;
  const theme = useTheme();
  const start = Date.parse(window.start);
  const end = Date.parse(window.end);
  const points = objective.series.map(point => ({
    time: Date.parse(point.time),
    budget:
      point.budgetRemaining === undefined
        ? undefined
        : point.budgetRemaining * 100,
    ideal: (1 - (Date.parse(point.time) - start) / (end - start)) * 100,
    sli: point.sli === undefined ? undefined : point.sli * 100,
  }));
  const last = points[points.length - 1]?.time ?? end;
  const rangeMs = RANGE_MS[range];
  const shown = points.filter(p => p.time >= last - rangeMs);
  if (shown.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No data to chart yet.
      </Typography>
    );
  }
  const xAxis = (
    <XAxis
      dataKey="time"
      type="number"
      scale="time"
      domain={['dataMin', 'dataMax']}
      tickFormatter={(time: number) => tick(time, rangeMs)}
      fontSize={11}
    />
  );
  const label = (time: number) => new Date(time).toLocaleString();
  return (
    <Grid container spacing={2}>
      <Grid item xs={12} md={6}>
        <Typography variant="subtitle2">Error budget left</Typography>
        <ResponsiveContainer width="100%" height={200}>
          <LineChart data={shown}>
            <CartesianGrid strokeDasharray="3 3" />
            {xAxis}
            <YAxis unit="%" fontSize={11} width={48} />
            <Tooltip
              labelFormatter={label}
              formatter={(value: number, name: string) => [
                formatBudget(value / 100),
                name === 'ideal' ? 'Ideal burn' : 'Budget left',
              ]}
            />
            <ReferenceLine y={0} stroke={theme.palette.error.main} />
            <Line
              dataKey="ideal"
              stroke={theme.palette.text.disabled}
              strokeDasharray="4 4"
              dot={false}
              isAnimationActive={false}
            />
            <Line
              dataKey="budget"
              stroke={theme.palette.primary.main}
              dot={false}
              isAnimationActive={false}
              connectNulls={false}
            />
          </LineChart>
        </ResponsiveContainer>
      </Grid>
      <Grid item xs={12} md={6}>
        <Typography variant="subtitle2">SLI</Typography>
        <ResponsiveContainer width="100%" height={200}>
          <LineChart data={shown}>
            <CartesianGrid strokeDasharray="3 3" />
            {xAxis}
            <YAxis
              unit="%"
              fontSize={11}
              width={56}
              domain={['auto', 100]}
              tickFormatter={(v: number) => v.toFixed(2)}
            />
            <Tooltip
              labelFormatter={label}
              formatter={(value: number) => [formatSli(value / 100), 'SLI']}
            />
            <ReferenceLine
              y={objective.target * 100}
              stroke={theme.palette.warning.main}
              strokeDasharray="4 4"
            />
            <Line
              dataKey="sli"
              stroke={theme.palette.primary.main}
              dot={false}
              isAnimationActive={false}
              connectNulls={false}
            />
          </LineChart>
        </ResponsiveContainer>
      </Grid>
    </Grid>
  );
}
