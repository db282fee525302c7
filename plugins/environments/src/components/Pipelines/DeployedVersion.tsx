import { Link } from '@backstage/core-components';
import { VersionCell } from '@internal/plugin-environments-common';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import WarningIcon from '@material-ui/icons/Warning';
import { formatAge } from '../time';

/** What runs in an environment: version, when, by whom, and a marker when it drifts. */
export function DeployedVersion({
  cell,
  referenceName,
}: {
  cell?: VersionCell;
  /** How to name the drift's reference environment, e.g. its title. */
  referenceName?: (environmentRef: string) => string;
}) {
  if (!cell) {
    return (
      <Typography variant="body2" color="textSecondary">
        —
      </Typography>
    );
  }
  const version = cell.version ?? cell.commitSha?.slice(0, 8) ?? '?';
  return (
    <div>
      <Typography variant="body2" component="span">
        {cell.url ? <Link to={cell.url}>{version}</Link> : version}
      </Typography>
      {cell.drift && (
        <Tooltip
          title={`${
            referenceName?.(cell.drift.referenceEnvironmentRef) ??
            cell.drift.referenceEnvironmentRef
          } runs ${cell.drift.referenceVersion ?? 'another version'}`}
        >
          <WarningIcon
            aria-label={`Drift: ${
              cell.drift.referenceVersion ?? 'another version'
            } in the reference environment`}
            fontSize="small"
            style={{ verticalAlign: 'middle', marginLeft: 4, color: '#ed6c02' }}
          />
        </Tooltip>
      )}
      <Typography variant="caption" display="block" color="textSecondary">
        {formatAge(cell.deployedAt)}
        {cell.deployedBy && ` by ${cell.deployedBy}`}
      </Typography>
    </div>
  );
}
