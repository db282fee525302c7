import { useApi } from '@backstage/core-plugin-api';
import {
  Blackout,
  CreateBlackoutRequest,
  Environment,
} from '@internal/plugin-environments-common';
import Dialog from '@material-ui/core/Dialog';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { FormEvent, useState } from 'react';
import { environmentsApiRef } from '../../api';
import { errorMessage } from '../BookingSubject';
import { fromLocalInput, toLocalInput } from '../time';
import { ReasonField, SubmitActions } from './dialogParts';
import { Repeat, RepeatFields, repeatRule } from '../RepeatFields';

const HOUR = 3600_000;

/** `keep`: an edited series keeps its stored rule (bounded by UNTIL its last occurrence). */

/**
 * Creates a blackout or maintenance window, or edits one (`blackout` given). Editing an
 * occurrence of a recurring blackout changes it and the later occurrences of its series.
 */
export function BlackoutDialog(props: {
  environments: Environment[];
  blackout?: Blackout;
  onSaved: (blackout: Blackout) => void;
  onClose: () => void;
}) {
  const { environments, blackout, onSaved, onClose } = props;
  const api = useApi(environmentsApiRef);
  const tiers = [...new Set(environments.map(e => e.tier))].sort();
  const [scope, setScope] = useState<Blackout['scope']>(
    blackout?.scope ?? 'environment',
  );
  const [scopeKey, setScopeKey] = useState(
    blackout?.scopeKey ?? environments[0]?.entityRef ?? '',
  );
  const [kind, setKind] = useState<Blackout['kind']>(
    blackout?.kind ?? 'blackout',
  );
  const [title, setTitle] = useState(blackout?.title ?? '');
  const [reason, setReason] = useState(blackout?.reason ?? '');
  const [start, setStart] = useState(() =>
    toLocalInput(blackout ? new Date(blackout.start) : new Date()),
  );
  const [end, setEnd] = useState(() =>
    toLocalInput(
      blackout ? new Date(blackout.end) : new Date(Date.now() + 2 * HOUR),
    ),
  );
  const [repeat, setRepeat] = useState<Repeat>(
    blackout?.rrule ? 'keep' : 'none',
  );
  const [occurrences, setOccurrences] = useState(4);
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string>();
  const timeZone = new Intl.DateTimeFormat().resolvedOptions().timeZone;

  function rule(): string | undefined {
    if (repeat === 'none') return undefined;
    if (repeat === 'keep') return blackout?.rrule;
    return repeatRule(repeat, occurrences);
  }

  function changeScope(next: Blackout['scope']) {
    setScope(next);
    setScopeKey(
      next === 'environment' ? environments[0]?.entityRef ?? '' : tiers[0],
    );
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSubmitting(true);
    setError(undefined);
    const request: CreateBlackoutRequest = {
      scope,
      scopeKey,
      kind,
      title,
      reason: reason || undefined,
      start: fromLocalInput(start),
      end: fromLocalInput(end),
      rrule: rule(),
    };
    try {
      onSaved(
        blackout
          ? await api.updateBlackout(blackout.id, request)
          : await api.createBlackout(request),
      );
    } catch (e) {
      setError(errorMessage(e));
      setSubmitting(false);
    }
  }

  const heading = blackout ? `Edit ${blackout.title}` : 'New blackout';
  return (
    <Dialog open onClose={onClose} fullWidth maxWidth="sm">
      <form onSubmit={submit} aria-label={heading}>
        <DialogTitle>{heading}</DialogTitle>
        <DialogContent>
          {error && <Alert severity="error">{error}</Alert>}
          {blackout?.seriesId && (
            <Alert severity="info">
              This is one occurrence of a recurring blackout: your changes apply
              to it and the later occurrences; earlier ones stay as they are.
            </Alert>
          )}
          <TextField
            select
            id="blackout-scope"
            label="Applies to"
            value={scope}
            onChange={e => changeScope(e.target.value as Blackout['scope'])}
            margin="dense"
            style={{ minWidth: 160 }}
          >
            <MenuItem value="environment">One environment</MenuItem>
            <MenuItem value="tier">A whole tier</MenuItem>
          </TextField>{' '}
          <TextField
            select
            id="blackout-scope-key"
            label={scope === 'environment' ? 'Environment' : 'Tier'}
            value={scopeKey}
            onChange={e => setScopeKey(e.target.value)}
            margin="dense"
            style={{ minWidth: 240 }}
          >
            {scope === 'environment'
              ? environments.map(env => (
                  <MenuItem key={env.entityRef} value={env.entityRef}>
                    {env.title ?? env.name}
                  </MenuItem>
                ))
              : tiers.map(tier => (
                  <MenuItem key={tier} value={tier}>
                    {tier}
                  </MenuItem>
                ))}
          </TextField>
          <TextField
            select
            id="blackout-kind"
            label="Kind"
            value={kind}
            onChange={e => setKind(e.target.value as Blackout['kind'])}
            fullWidth
            margin="dense"
            helperText="Both refuse bookings; a maintenance window also shows the environment as in maintenance while it lasts"
          >
            <MenuItem value="blackout">Blackout</MenuItem>
            <MenuItem value="maintenance">Maintenance window</MenuItem>
          </TextField>
          <TextField
            id="blackout-title"
            label="Title"
            value={title}
            onChange={e => setTitle(e.target.value)}
            required
            fullWidth
            margin="dense"
            inputProps={{ maxLength: 200 }}
          />
          <TextField
            id="blackout-start"
            label={repeat === 'none' ? 'Start' : 'First start'}
            type="datetime-local"
            value={start}
            onChange={e => setStart(e.target.value)}
            required
            margin="dense"
            InputLabelProps={{ shrink: true }}
          />{' '}
          <TextField
            id="blackout-end"
            label={repeat === 'none' ? 'End' : 'First end'}
            type="datetime-local"
            value={end}
            onChange={e => setEnd(e.target.value)}
            required
            margin="dense"
            InputLabelProps={{ shrink: true }}
          />
          <RepeatFields
            idPrefix="blackout"
            repeat={repeat}
            onRepeat={setRepeat}
            occurrences={occurrences}
            onOccurrences={setOccurrences}
            currentRule={blackout?.rrule}
          />
          <Typography variant="caption" display="block" color="textSecondary">
            Times are in your time zone, {timeZone}. The end is exclusive.
          </Typography>
          <ReasonField
            id="blackout-reason"
            value={reason}
            onChange={setReason}
          />
        </DialogContent>
        <SubmitActions onCancel={onClose} disabled={submitting}>
          {blackout ? 'Save' : 'Create'}
        </SubmitActions>
      </form>
    </Dialog>
  );
}
