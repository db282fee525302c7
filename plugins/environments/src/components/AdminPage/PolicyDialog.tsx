import { useApi } from '@backstage/core-plugin-api';
import {
  PolicyScopeEntry,
  PolicySettings,
} from '@internal/plugin-environments-common';
import Dialog from '@material-ui/core/Dialog';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Alert from '@material-ui/lab/Alert';
import { FormEvent, useState } from 'react';
import { environmentsApiRef } from '../../api';
import { errorMessage } from '../BookingSubject';
import {
  describePolicy,
  fieldErrors,
  NUMBER_FIELDS,
  POLICY_FIELD_LABELS,
} from './policyFormat';
import { ReasonField, SubmitActions } from './dialogParts';

const APPROVAL_OPTIONS = { inherit: undefined, yes: true, no: false };
type Approval = keyof typeof APPROVAL_OPTIONS;
const FORM_FIELDS = [...NUMBER_FIELDS, 'requiresApproval'];

/** How the page names a scope, e.g. `Global`, `Tier staging`, `resource:default/qa-1`. */
export function scopeTitle(entry: Pick<PolicyScopeEntry, 'scope' | 'key'>) {
  if (entry.scope === 'global') return 'Global';
  if (entry.scope === 'tier') return `Tier ${entry.key}`;
  return entry.key;
}

/**
 * Edits the policy of one scope. Empty fields are not set at this scope and fall through to
 * the less specific one. The backend validates; its reasons appear under the fields they name,
 * and the dialog stays open until the policy is stored.
 */
export function PolicyDialog(props: {
  entry: PolicyScopeEntry;
  onSaved: (entry: PolicyScopeEntry) => void;
  onClose: () => void;
}) {
  const { entry } = props;
  const api = useApi(environmentsApiRef);
  const [numbers, setNumbers] = useState<Record<string, string>>(() =>
    Object.fromEntries(
      NUMBER_FIELDS.map(field => [field, String(entry.settings[field] ?? '')]),
    ),
  );
  const [approval, setApproval] = useState<Approval>(() => {
    if (entry.settings.requiresApproval === undefined) return 'inherit';
    return entry.settings.requiresApproval ? 'yes' : 'no';
  });
  const [reason, setReason] = useState('');
  const [submitting, setSubmitting] = useState(false);
  const [errors, setErrors] = useState<{
    byField: Record<string, string>;
    other: string[];
  }>({ byField: {}, other: [] });

  async function submit(event: FormEvent) {
    event.preventDefault();
    const policy: PolicySettings = {
      requiresApproval: APPROVAL_OPTIONS[approval],
    };
    for (const field of NUMBER_FIELDS) {
      // Sent as typed, so the backend judges it (and names the field) rather than the form.
      if (numbers[field].trim() !== '') policy[field] = Number(numbers[field]);
    }
    setSubmitting(true);
    setErrors({ byField: {}, other: [] });
    try {
      const saved = await api.putPolicy(
        { scope: entry.scope, key: entry.key },
        { policy, ...(reason.trim() && { reason: reason.trim() }) },
      );
      props.onSaved(saved);
    } catch (e) {
      setErrors(fieldErrors(errorMessage(e), FORM_FIELDS));
      setSubmitting(false);
    }
  }

  const title = `Booking policy: ${scopeTitle(entry)}`;
  return (
    <Dialog open onClose={props.onClose} fullWidth maxWidth="sm">
      <form onSubmit={submit} aria-label={title}>
        <DialogTitle>{title}</DialogTitle>
        <DialogContent>
          {errors.other.map(problem => (
            <Alert key={problem} severity="error">
              {problem}
            </Alert>
          ))}
          <DialogContentText>
            Leave a field empty to take it from the less specific scope. In
            force now: {describePolicy(entry.effective)}.
          </DialogContentText>
          {NUMBER_FIELDS.map(field => {
            const { label, unit } = POLICY_FIELD_LABELS[field];
            return (
              <TextField
                key={field}
                id={`policy-${field}`}
                label={unit ? `${label} (${unit})` : label}
                type="number"
                value={numbers[field]}
                onChange={e =>
                  setNumbers(current => ({
                    ...current,
                    [field]: e.target.value,
                  }))
                }
                error={Boolean(errors.byField[field])}
                helperText={errors.byField[field]}
                fullWidth
                margin="dense"
              />
            );
          })}
          <TextField
            id="policy-requiresApproval"
            select
            label={POLICY_FIELD_LABELS.requiresApproval.label}
            value={approval}
            onChange={e => setApproval(e.target.value as Approval)}
            error={Boolean(errors.byField.requiresApproval)}
            helperText={errors.byField.requiresApproval}
            fullWidth
            margin="dense"
          >
            <MenuItem value="inherit">From the less specific scope</MenuItem>
            <MenuItem value="yes">Required</MenuItem>
            <MenuItem value="no">Not required</MenuItem>
          </TextField>
          <ReasonField
            id="policy-reason"
            helperText="Optional: kept in the audit log"
            value={reason}
            onChange={setReason}
          />
        </DialogContent>
        <SubmitActions onCancel={props.onClose} disabled={submitting}>
          Save policy
        </SubmitActions>
      </form>
    </Dialog>
  );
}
