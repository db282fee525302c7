import { Environment } from '@internal/plugin-environments-common';
import Box from '@material-ui/core/Box';
import Checkbox from '@material-ui/core/Checkbox';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';

/** What the Environments page narrows to; empty strings mean any. */
export interface Filters {
  tier: string;
  systemRef: string;
  ownerRef: string;
  freeNow: boolean;
}

export const NO_FILTERS: Filters = {
  tier: '',
  systemRef: '',
  ownerRef: '',
  freeNow: false,
};

/** The environments that pass the filters. */
export function applyFilters(
  environments: Environment[],
  filters: Filters,
): Environment[] {
  return environments.filter(
    env =>
      (!filters.tier || env.tier === filters.tier) &&
      (!filters.systemRef || env.systemRef === filters.systemRef) &&
      (!filters.ownerRef || env.ownerRef === filters.ownerRef) &&
      (!filters.freeNow ||
        (env.bookable && env.status === 'available' && !env.currentBooking)),
  );
}

const distinct = (values: Array<string | undefined>) =>
  [...new Set(values.filter((v): v is string => !!v))].sort();

/** Tier, system, owner and free-now filters, with the options the environments offer. */
export function EnvironmentFilters(props: {
  environments: Environment[];
  filters: Filters;
  onChange: (filters: Filters) => void;
}) {
  const { environments, filters, onChange } = props;
  const select = (id: keyof Filters, label: string, options: string[]) => (
    <TextField
      select
      id={`filter-${id}`}
      label={label}
      value={filters[id]}
      onChange={e => onChange({ ...filters, [id]: e.target.value })}
      style={{ minWidth: 180 }}
      size="small"
    >
      <MenuItem value="">Any</MenuItem>
      {options.map(option => (
        <MenuItem key={option} value={option}>
          {option.replace(/^[a-z]+:default\//, '')}
        </MenuItem>
      ))}
    </TextField>
  );
  return (
    <Box
      display="flex"
      flexWrap="wrap"
      alignItems="center"
      style={{ gap: 16 }}
      role="search"
    >
      {select('tier', 'Tier', distinct(environments.map(e => e.tier)))}
      {select(
        'systemRef',
        'System',
        distinct(environments.map(e => e.systemRef)),
      )}
      {select('ownerRef', 'Owner', distinct(environments.map(e => e.ownerRef)))}
      <FormControlLabel
        control={
          <Checkbox
            checked={filters.freeNow}
            onChange={e => onChange({ ...filters, freeNow: e.target.checked })}
          />
        }
        label="Free now"
      />
    </Box>
  );
}
