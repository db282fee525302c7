import { Link, Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { CiRun } from '@internal/plugin-environments-common';
import Button from '@material-ui/core/Button';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import { useEffect, useState } from 'react';
import { environmentsApiRef } from '../../api';
import { formatAge, formatRunDuration } from '../time';
import { CiStatusChip } from './CiStatusChip';
import { SourceStateNote } from './SourceStateNote';

/** Runs as rows: workflow, branch, status, commit, when, how long, link out. */
export function RunsTable(props: {
  runs: CiRun[];
  defaultBranch?: string;
  label: string;
  /** Offers to re-run finished runs that did not succeed. */
  onRerun?: (run: CiRun) => void;
}) {
  const { onRerun } = props;
  return (
    <Table size="small" aria-label={props.label}>
      <TableHead>
        <TableRow>
          <TableCell>Workflow</TableCell>
          <TableCell>Branch</TableCell>
          <TableCell>Status</TableCell>
          <TableCell>Commit</TableCell>
          <TableCell>Started</TableCell>
          <TableCell align="right">Duration</TableCell>
          {onRerun && <TableCell />}
        </TableRow>
      </TableHead>
      <TableBody>
        {props.runs.map(run => (
          <TableRow key={`${run.provider}:${run.id}`}>
            <TableCell>
              {run.url ? <Link to={run.url}>{run.name}</Link> : run.name}
            </TableCell>
            <TableCell>
              {run.branch}
              {run.branch === props.defaultBranch && ' (default)'}
            </TableCell>
            <TableCell>
              <CiStatusChip status={run.status} />
            </TableCell>
            <TableCell>
              <code>{run.commitSha?.slice(0, 7)}</code> {run.commitMessage}
            </TableCell>
            <TableCell>
              {run.startedAt ? formatAge(run.startedAt) : ''}
            </TableCell>
            <TableCell align="right">
              {run.durationMs !== undefined
                ? formatRunDuration(run.durationMs)
                : ''}
            </TableCell>
            {onRerun && (
              <TableCell>
                {(run.status === 'failed' || run.status === 'cancelled') && (
                  <Button size="small" onClick={() => onRerun(run)}>
                    Re-run
                  </Button>
                )}
              </TableCell>
            )}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** A provider's run history for the entity, a page at a time. */
export function RunHistory(props: { entityRef: string; provider: string }) {
  const api = useApi(environmentsApiRef);
  const [runs, setRuns] = useState<CiRun[]>([]);
  const [cursor, setCursor] = useState<string>();
  const [next, setNext] = useState<string | undefined>();
  const [state, setState] = useState<{ loading: boolean; error?: Error }>({
    loading: true,
  });
  const [source, setSource] =
    useState<Parameters<typeof SourceStateNote>[0]['state']>();

  useEffect(() => {
    let current = true;
    setState({ loading: true });
    api
      .listPipelineRuns(props.entityRef, props.provider, { cursor, limit: 20 })
      .then(page => {
        if (!current) return;
        setRuns(previous =>
          cursor ? [...previous, ...page.items] : page.items,
        );
        setNext(page.nextCursor);
        setSource(page.source);
        setState({ loading: false });
      })
      .catch(error => current && setState({ loading: false, error }));
    return () => {
      current = false;
    };
  }, [api, props.entityRef, props.provider, cursor]);

  return (
    <>
      {source && <SourceStateNote state={source} />}
      {state.error && <ResponseErrorPanel error={state.error} />}
      <RunsTable runs={runs} label="Run history" />
      {state.loading && <Progress />}
      {next && !state.loading && (
        <Button size="small" onClick={() => setCursor(next)}>
          Load more
        </Button>
      )}
    </>
  );
}
