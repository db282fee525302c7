import { CiRunStatus } from '@internal/plugin-environments-common';
import Chip from '@material-ui/core/Chip';
import { useTheme } from '@material-ui/core/styles';

const LABEL: Record<CiRunStatus, string> = {
  queued: 'Queued',
  running: 'Running',
  succeeded: 'Succeeded',
  failed: 'Failed',
  cancelled: 'Cancelled',
  skipped: 'Skipped',
  unknown: 'Unknown',
};

/** A run's status as a coloured chip. */
export function CiStatusChip({ status }: { status: CiRunStatus }) {
  const theme = useTheme();
  const colour: Record<CiRunStatus, string> = {
    queued: theme.palette.info.main,
    running: theme.palette.info.dark,
    succeeded: theme.palette.success.main,
    failed: theme.palette.error.main,
    cancelled: theme.palette.grey[600],
    skipped: theme.palette.grey[500],
    unknown: theme.palette.grey[500],
  };
  return (
    <Chip
      size="small"
      label={LABEL[status]}
      style={{
        backgroundColor: colour[status],
        color: theme.palette.common.white,
      }}
    />
  );
}
