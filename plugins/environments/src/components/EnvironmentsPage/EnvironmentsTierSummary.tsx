import { Environment } from '@internal/plugin-environments-common';
import Box from '@material-ui/core/Box';
import Card from '@material-ui/core/Card';
import CardContent from '@material-ui/core/CardContent';
import Typography from '@material-ui/core/Typography';

/** One small card per tier: how many environments it has and how many are available. */
export function EnvironmentsTierSummary({
  environments,
}: {
  environments: Environment[];
}) {
  const tiers = new Map<string, { total: number; available: number }>();
  for (const env of environments) {
    const counts = tiers.get(env.tier) ?? { total: 0, available: 0 };
    counts.total += 1;
    if (env.status === 'available') counts.available += 1;
    tiers.set(env.tier, counts);
  }
  if (tiers.size === 0) return null;
  return (
    <Box
      display="flex"
      flexWrap="wrap"
      mb={3}
      style={{ gap: 16 }}
      aria-label="Environments by tier"
    >
      {[...tiers].map(([tier, counts]) => (
        <Card key={tier} variant="outlined" style={{ minWidth: 140 }}>
          <CardContent>
            <Typography variant="overline">{tier}</Typography>
            <Typography variant="h5">{counts.total}</Typography>
            <Typography variant="body2" color="textSecondary">
              {counts.available} available
            </Typography>
          </CardContent>
        </Card>
      ))}
    </Box>
  );
}
