import Typography from '@material-ui/core/Typography';

/** Environment state overrides (filled in by the environment state work). */
export function EnvironmentStateTab() {
  return <Typography>Environment state</Typography>;
}
