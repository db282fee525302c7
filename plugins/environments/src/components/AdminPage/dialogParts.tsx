import Button from '@material-ui/core/Button';
import DialogActions from '@material-ui/core/DialogActions';
import TextField from '@material-ui/core/TextField';
import { ReactNode } from 'react';

/** Longest reason the backend keeps in the audit log. */
const MAX_REASON = 4000;

/** The reason (or note) an admin gives for a change; it is kept in the audit log. */
export function ReasonField(props: {
  id: string;
  value: string;
  onChange: (value: string) => void;
  label?: string;
  helperText?: string;
  required?: boolean;
}) {
  return (
    <TextField
      id={props.id}
      label={props.label ?? 'Reason'}
      helperText={props.helperText}
      value={props.value}
      onChange={e => props.onChange(e.target.value)}
      required={props.required}
      fullWidth
      multiline
      minRows={2}
      margin="dense"
      inputProps={{ maxLength: MAX_REASON }}
    />
  );
}

/** Cancel and the submit button of an admin form dialog. */
export function SubmitActions(props: {
  onCancel: () => void;
  disabled: boolean;
  children: ReactNode;
}) {
  return (
    <DialogActions>
      <Button onClick={props.onCancel}>Cancel</Button>
      <Button
        type="submit"
        color="primary"
        variant="contained"
        disabled={props.disabled}
      >
        {props.children}
      </Button>
    </DialogActions>
  );
}
