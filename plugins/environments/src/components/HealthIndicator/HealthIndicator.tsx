import {
  EnvironmentHealth,
  HealthStatus,
} from '@internal/plugin-environments-common';
import Chip from '@material-ui/core/Chip';
import { useTheme } from '@material-ui/core/styles';
import Tooltip from '@material-ui/core/Tooltip';
import CheckCircleIcon from '@material-ui/icons/CheckCircle';
import ErrorIcon from '@material-ui/icons/Error';
import HelpOutlineIcon from '@material-ui/icons/HelpOutline';
import WarningIcon from '@material-ui/icons/Warning';
import { formatAge, formatDateTime } from '../time';
import { HEALTH_STATUS_LABELS, healthSummary } from './healthText';

const ICONS: Record<HealthStatus, typeof CheckCircleIcon> = {
  up: CheckCircleIcon,
  degraded: WarningIcon,
  down: ErrorIcon,
  unknown: HelpOutlineIcon,
};

/** What the health check found, line by line, for the tooltip. */
function HealthDetails({ health }: { health: EnvironmentHealth }) {
  return (
    <>
      <div>Health: {HEALTH_STATUS_LABELS[health.status]}</div>
      {health.reason && <div>{health.reason}</div>}
      {health.since && (
        <div>
          Since {formatDateTime(health.since)} ({formatAge(health.since)})
        </div>
      )}
      <div>
        {health.checkedAt
          ? `Last checked ${formatAge(health.checkedAt)}`
          : 'Not checked yet'}
      </div>
    </>
  );
}

/**
 * An environment's health as a coloured chip, or as a bare icon where space is short
 * (`compact`); the tooltip tells the reason, since when, and the last check. Renders nothing
 * for an environment without a health check.
 */
export function HealthIndicator({
  health,
  compact = false,
}: {
  health?: EnvironmentHealth;
  compact?: boolean;
}) {
  const theme = useTheme();
  if (!health) return null;
  const colour = {
    up: theme.palette.success.main,
    degraded: theme.palette.warning.main,
    down: theme.palette.error.main,
    unknown: theme.palette.grey[500],
  }[health.status];
  const Icon = ICONS[health.status];
  // Focusable, so that keyboard users get the tooltip too.
  const accessible = {
    role: 'img',
    'aria-label': healthSummary(health),
    tabIndex: 0,
  };
  return (
    <Tooltip title={<HealthDetails health={health} />}>
      {compact ? (
        <span {...accessible} style={{ display: 'inline-flex', color: colour }}>
          <Icon fontSize="small" />
        </span>
      ) : (
        <Chip
          {...accessible}
          size="small"
          icon={
            <Icon style={{ color: theme.palette.getContrastText(colour) }} />
          }
          label={HEALTH_STATUS_LABELS[health.status]}
          style={{
            backgroundColor: colour,
            color: theme.palette.getContrastText(colour),
          }}
        />
      )}
    </Tooltip>
  );
}
