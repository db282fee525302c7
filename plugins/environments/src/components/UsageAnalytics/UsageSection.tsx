import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { UsageFigures } from '@internal/plugin-environments-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import MenuItem from '@material-ui/core/MenuItem';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { useMemo, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { environmentsApiRef, UsageQuery } from '../../api';
import { errorMessage } from '../BookingSubject';
import { saveTextFile } from '../download';
import { UsageChart } from './UsageChart';
import { formatHours, formatRatio, formatRefusals } from './usageFormat';

const DAY = 24 * 3600_000;
const PERIODS = [7, 30, 90];

/** The columns both tables share: a row's name, then its figures. */
function FigureCells(props: { figures: UsageFigures }) {
  const { figures } = props;
  return (
    <>
      <TableCell align="right">{formatRatio(figures.availability)}</TableCell>
      <TableCell align="right">{formatRatio(figures.usage)}</TableCell>
      <TableCell align="right">
        {formatHours(figures.idleBookedHours)}
      </TableCell>
      <TableCell align="right">
        {formatHours(figures.meanApprovalLeadHours)}
        {figures.approvals > 0 && ` (${figures.approvals})`}
      </TableCell>
      <TableCell align="right">{formatRefusals(figures.refusals)}</TableCell>
    </>
  );
}

function FigureTable(props: {
  label: string;
  rows: Array<{ key: string; name: string; figures: UsageFigures }>;
}) {
  return (
    <Table size="small" aria-label={props.label}>
      <TableHead>
        <TableRow>
          <TableCell>{props.label}</TableCell>
          <TableCell align="right">Availability</TableCell>
          <TableCell align="right">Usage</TableCell>
          <TableCell align="right">Idle booked</TableCell>
          <TableCell align="right">Approval wait (approvals)</TableCell>
          <TableCell align="right">Refused</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {props.rows.map(row => (
          <TableRow key={row.key}>
            <TableCell>{row.name}</TableCell>
            <FigureCells figures={row.figures} />
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/**
 * Usage analytics over a chosen period: a daily chart, the figures per tier and per
 * environment, and the CSV export. The Environments page and the administration page show it.
 */
export function UsageSection(props: { title?: string }) {
  const api = useApi(environmentsApiRef);
  const alertApi = useApi(alertApiRef);
  const [days, setDays] = useState(30);
  // The period ends when it was picked, so that reloads of the same choice ask the same thing.
  const query: UsageQuery = useMemo(() => {
    const to = new Date();
    return {
      from: new Date(to.getTime() - days * DAY).toISOString(),
      to: to.toISOString(),
    };
  }, [days]);
  const { value, loading, error } = useAsync(
    () => api.getUsage(query),
    [api, query],
  );

  async function downloadCsv() {
    try {
      saveTextFile(
        await api.getUsageCsv(query),
        'text/csv',
        `environment-usage-${query.from.slice(0, 10)}-${query.to.slice(
          0,
          10,
        )}.csv`,
      );
    } catch (e) {
      alertApi.post({
        message: `Could not download the usage CSV: ${errorMessage(e)}`,
        severity: 'error',
      });
    }
  }

  let body: JSX.Element;
  if (loading && !value) {
    body = <Progress />;
  } else if (error) {
    body = <ResponseErrorPanel error={error} />;
  } else {
    const report = value!;
    body = (
      <>
        <Typography variant="body2" color="textSecondary" gutterBottom>
          All environments together: availability{' '}
          {formatRatio(report.total.availability)}, usage{' '}
          {formatRatio(report.total.usage)}, idle booked time{' '}
          {formatHours(report.total.idleBookedHours)}.
        </Typography>
        <UsageChart daily={report.daily} />
        <FigureTable
          label="Tier"
          rows={report.tiers.map(t => ({
            key: t.tier,
            name: `${t.tier} (${t.environments})`,
            figures: t,
          }))}
        />
        <Box mt={2}>
          <FigureTable
            label="Environment"
            rows={report.environments.map(e => ({
              key: e.entityRef,
              name: e.title ?? e.entityRef,
              figures: e,
            }))}
          />
        </Box>
      </>
    );
  }

  return (
    <InfoCard
      title={props.title ?? 'Usage'}
      subheader="Availability: time up outside maintenance of the time probed. Usage: booked place-hours of bookable place-hours. Idle: booked without a deployment in the activity window."
      action={
        <Box display="flex" alignItems="center" mt={1}>
          <TextField
            select
            size="small"
            label="Period"
            value={days}
            onChange={e => setDays(Number(e.target.value))}
            inputProps={{ 'aria-label': 'Period' }}
          >
            {PERIODS.map(d => (
              <MenuItem key={d} value={d}>
                Last {d} days
              </MenuItem>
            ))}
          </TextField>
          <Box ml={1}>
            <Button size="small" variant="outlined" onClick={downloadCsv}>
              CSV
            </Button>
          </Box>
        </Box>
      }
    >
      {body}
    </InfoCard>
  );
}
