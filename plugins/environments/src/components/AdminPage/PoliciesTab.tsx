import Typography from '@material-ui/core/Typography';

/** Booking policies per scope (filled in by the policies work). */
export function PoliciesTab() {
  return <Typography>Booking policies</Typography>;
}
