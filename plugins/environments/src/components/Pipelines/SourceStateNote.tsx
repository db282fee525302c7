import { CiSourceState } from '@internal/plugin-environments-common';
import Alert from '@material-ui/lab/Alert';
import { formatAge } from '../time';

const PROVIDER_NAMES: Record<string, string> = {
  github: 'GitHub',
  gitlab: 'GitLab',
  jenkins: 'Jenkins',
};

/** The display name of a CI provider id. */
export function providerName(id: string): string {
  return PROVIDER_NAMES[id] ?? id;
}

/** Says when a provider's data is old because it failed, or missing; nothing when fresh. */
export function SourceStateNote({
  state,
  subject,
}: {
  state: CiSourceState;
  /** What the data is, where a page shows more than one kind from the same provider. */
  subject?: string;
}) {
  if (state.status === 'ok') return null;
  const name = providerName(state.provider);
  const prefix = subject ? `${subject}: ` : '';
  return state.status === 'stale' ? (
    <Alert severity="warning" style={{ marginBottom: 8 }}>
      {prefix}
      {name} could not be reached ({state.reason}); showing what it said{' '}
      {state.asOf ? formatAge(state.asOf) : 'earlier'}.
    </Alert>
  ) : (
    <Alert severity="error" style={{ marginBottom: 8 }}>
      {prefix}
      {name} could not be reached and nothing is known yet: {state.reason}
    </Alert>
  );
}
