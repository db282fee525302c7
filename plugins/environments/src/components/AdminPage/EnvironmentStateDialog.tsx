import { useApi } from '@backstage/core-plugin-api';
import {
  Environment,
  EnvironmentStateChange,
  EnvironmentStatus,
} from '@internal/plugin-environments-common';
import Checkbox from '@material-ui/core/Checkbox';
import Dialog from '@material-ui/core/Dialog';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Alert from '@material-ui/lab/Alert';
import { FormEvent, useState } from 'react';
import { environmentsApiRef } from '../../api';
import { errorMessage } from '../BookingSubject';
import { fieldErrors } from './policyFormat';
import { ReasonField, SubmitActions } from './dialogParts';

const FORM_FIELDS = ['status', 'bookable', 'capacity', 'componentSlots'];

/** The form's values; `undefined` overrides mean "the catalog's value". */
interface Form {
  status: EnvironmentStatus;
  bookable: 'catalog' | 'yes' | 'no';
  capacity: string;
  overrideSlots: boolean;
  slots: string;
  reason: string;
}

function initialForm(environment: Environment): Form {
  const { overrides = {} } = environment;
  let bookable: Form['bookable'] = 'catalog';
  if (overrides.bookable !== undefined) {
    bookable = overrides.bookable ? 'yes' : 'no';
  }
  return {
    status: environment.status,
    bookable,
    capacity:
      overrides.capacity === undefined ? '' : String(overrides.capacity),
    overrideSlots: overrides.componentSlots !== undefined,
    slots: environment.componentSlots.join(', '),
    reason: '',
  };
}

/**
 * What the form changes, and only that: a field left as it was is not sent, a field put back to
 * the catalog's value is sent as `null`.
 */
export function stateChange(
  environment: Environment,
  form: Form,
): EnvironmentStateChange {
  const before = initialForm(environment);
  const change: EnvironmentStateChange = {};
  if (form.status !== before.status) change.status = form.status;
  if (form.bookable !== before.bookable) {
    change.bookable =
      form.bookable === 'catalog' ? null : form.bookable === 'yes';
  }
  if (form.capacity.trim() !== before.capacity) {
    change.capacity =
      form.capacity.trim() === '' ? null : Number(form.capacity.trim());
  }
  const slots = form.slots
    .split(',')
    .map(slot => slot.trim())
    .filter(Boolean);
  if (form.overrideSlots) {
    if (!before.overrideSlots || form.slots !== before.slots) {
      change.componentSlots = slots;
    }
  } else if (before.overrideSlots) {
    change.componentSlots = null;
  }
  if (form.reason.trim()) change.reason = form.reason.trim();
  return change;
}

/**
 * Sets an environment's status (maintenance and retired refuse new bookings) and overrides of
 * its catalog values, with a reason for the audit log. The backend's reasons appear under the
 * fields they name.
 */
export function EnvironmentStateDialog(props: {
  environment: Environment;
  onSaved: (environment: Environment) => void;
  onClose: () => void;
}) {
  const { environment } = props;
  const api = useApi(environmentsApiRef);
  const [form, setForm] = useState<Form>(() => initialForm(environment));
  const [submitting, setSubmitting] = useState(false);
  const [errors, setErrors] = useState<{
    byField: Record<string, string>;
    other: string[];
  }>({ byField: {}, other: [] });
  const set = (values: Partial<Form>) =>
    setForm(current => ({ ...current, ...values }));
  const change = stateChange(environment, form);
  const changesSomething = Object.keys(change).some(key => key !== 'reason');

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSubmitting(true);
    setErrors({ byField: {}, other: [] });
    try {
      props.onSaved(
        await api.updateEnvironmentState(environment.entityRef, change),
      );
    } catch (e) {
      setErrors(fieldErrors(errorMessage(e), FORM_FIELDS));
      setSubmitting(false);
    }
  }

  const name = environment.title ?? environment.name;
  return (
    <Dialog open onClose={props.onClose} fullWidth maxWidth="sm">
      <form onSubmit={submit} aria-label={`State of ${name}`}>
        <DialogTitle>State of {name}</DialogTitle>
        <DialogContent>
          {errors.other.map(problem => (
            <Alert key={problem} severity="error">
              {problem}
            </Alert>
          ))}
          <DialogContentText>
            Overrides replace the catalog&apos;s values and survive catalog
            syncs. Bookings already made stay when the environment goes into
            maintenance or is retired; new ones are refused.
          </DialogContentText>
          <TextField
            id="state-status"
            select
            label="Status"
            value={form.status}
            onChange={e => set({ status: e.target.value as EnvironmentStatus })}
            error={Boolean(errors.byField.status)}
            helperText={errors.byField.status}
            fullWidth
            margin="dense"
          >
            <MenuItem value="available">Available</MenuItem>
            <MenuItem value="maintenance">In maintenance</MenuItem>
            <MenuItem value="retired">Retired</MenuItem>
          </TextField>
          <TextField
            id="state-bookable"
            select
            label="Bookable"
            value={form.bookable}
            onChange={e =>
              set({ bookable: e.target.value as Form['bookable'] })
            }
            error={Boolean(errors.byField.bookable)}
            helperText={errors.byField.bookable}
            fullWidth
            margin="dense"
          >
            <MenuItem value="catalog">As the catalog says</MenuItem>
            <MenuItem value="yes">Bookable</MenuItem>
            <MenuItem value="no">Not bookable</MenuItem>
          </TextField>
          <TextField
            id="state-capacity"
            label="Capacity (bookings at once)"
            type="number"
            value={form.capacity}
            placeholder={`As the catalog says (now ${environment.capacity})`}
            InputLabelProps={{ shrink: true }}
            onChange={e => set({ capacity: e.target.value })}
            error={Boolean(errors.byField.capacity)}
            helperText={
              errors.byField.capacity ?? 'Empty: the catalog’s capacity'
            }
            fullWidth
            margin="dense"
          />
          <FormControlLabel
            control={
              <Checkbox
                checked={form.overrideSlots}
                onChange={e => set({ overrideSlots: e.target.checked })}
              />
            }
            label="Override the catalog's component slots"
          />
          <TextField
            id="state-slots"
            label="Component slots"
            value={form.slots}
            disabled={!form.overrideSlots}
            onChange={e => set({ slots: e.target.value })}
            error={Boolean(errors.byField.componentSlots)}
            helperText={
              errors.byField.componentSlots ??
              'Components booked one at a time, comma-separated (e.g. web, payments-api)'
            }
            fullWidth
            margin="dense"
          />
          <ReasonField
            id="state-reason"
            helperText="Optional: kept in the audit log"
            value={form.reason}
            onChange={value => set({ reason: value })}
          />
        </DialogContent>
        <SubmitActions
          onCancel={props.onClose}
          disabled={submitting || !changesSomething}
        >
          Save
        </SubmitActions>
      </form>
    </Dialog>
  );
}
