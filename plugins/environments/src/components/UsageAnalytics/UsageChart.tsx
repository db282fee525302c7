import { DailyUsage } from '@internal/plugin-environments-common';
import Typography from '@material-ui/core/Typography';
import { useTheme } from '@material-ui/core/styles';
import {
  Bar,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { formatHours, formatRatio } from './usageFormat';

const SERIES: Record<string, string> = {
  availability: 'Availability',
  usage: 'Usage',
  idle: 'Idle booked time',
};

/**
 * Availability and usage per day (lines, in percent) with the day's idle booked hours (bars),
 * of the environments a usage report covers. Days without a measurement leave a gap.
 */
export function UsageChart(props: { daily: DailyUsage[] }) {
  const theme = useTheme();
  if (props.daily.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No days to chart.
      </Typography>
    );
  }
  const points = props.daily.map(day => ({
    date: day.date,
    availability:
      day.availability === undefined ? undefined : day.availability * 100,
    usage: day.usage === undefined ? undefined : day.usage * 100,
    idle: day.idleBookedHours,
  }));
  return (
    <ResponsiveContainer width="100%" height={260}>
      <ComposedChart data={points}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="date" fontSize={11} />
        <YAxis yAxisId="percent" unit="%" domain={[0, 100]} fontSize={11} />
        <YAxis
          yAxisId="hours"
          orientation="right"
          unit=" h"
          fontSize={11}
          allowDecimals={false}
        />
        <Tooltip
          formatter={(value: number, name: string) => [
            name === 'idle' ? formatHours(value) : formatRatio(value / 100),
            SERIES[name],
          ]}
        />
        <Legend formatter={(name: string) => SERIES[name]} />
        <Bar
          yAxisId="hours"
          dataKey="idle"
          fill={theme.palette.warning.light}
          isAnimationActive={false}
        />
        <Line
          yAxisId="percent"
          dataKey="availability"
          stroke={theme.palette.success.main}
          dot={false}
          connectNulls={false}
          isAnimationActive={false}
        />
        <Line
          yAxisId="percent"
          dataKey="usage"
          stroke={theme.palette.primary.main}
          dot={false}
          connectNulls={false}
          isAnimationActive={false}
        />
      </ComposedChart>
    </ResponsiveContainer>
  );
}
