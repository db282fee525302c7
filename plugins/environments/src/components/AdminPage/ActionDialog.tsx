import Dialog from '@material-ui/core/Dialog';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import Alert from '@material-ui/lab/Alert';
import { FormEvent, ReactNode, useState } from 'react';
import { errorMessage } from '../BookingSubject';
import { ReasonField, SubmitActions } from './dialogParts';

/**
 * Confirms an admin action, asking for its reason when it takes one. The dialog stays open on
 * a refusal and shows the backend's reason (a 400 naming the field, a 404, a 409), so the admin
 * can correct the input; it closes once the action succeeded.
 */
export function ActionDialog(props: {
  title: string;
  /** What the action will do. */
  description: ReactNode;
  confirmLabel: string;
  /** A required reason is audited and sent to the people affected. */
  reason: 'required' | 'optional' | 'none';
  /** More fields, e.g. the new holders of a reassignment. */
  children?: ReactNode;
  /** Whether those fields are filled in enough to confirm. */
  ready?: boolean;
  onConfirm: (reason: string) => Promise<void>;
  onClose: () => void;
}) {
  const [reason, setReason] = useState('');
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string>();
  const canConfirm =
    (props.ready ?? true) &&
    (props.reason !== 'required' || reason.trim() !== '') &&
    !submitting;

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSubmitting(true);
    setError(undefined);
    try {
      await props.onConfirm(reason.trim());
      props.onClose();
    } catch (e) {
      setError(errorMessage(e));
      setSubmitting(false);
    }
  }

  return (
    <Dialog open onClose={props.onClose} fullWidth maxWidth="sm">
      <form onSubmit={submit} aria-label={props.title}>
        <DialogTitle>{props.title}</DialogTitle>
        <DialogContent>
          {error && <Alert severity="error">{error}</Alert>}
          <DialogContentText component="div">
            {props.description}
          </DialogContentText>
          {props.children}
          {props.reason !== 'none' && (
            <ReasonField
              id="admin-action-reason"
              label={props.reason === 'required' ? 'Reason' : 'Note'}
              helperText={
                props.reason === 'required'
                  ? 'Required: kept in the audit log and sent to the people affected'
                  : 'Optional: kept with the decision and in the audit log'
              }
              value={reason}
              onChange={setReason}
              required={props.reason === 'required'}
            />
          )}
        </DialogContent>
        <SubmitActions onCancel={props.onClose} disabled={!canConfirm}>
          {props.confirmLabel}
        </SubmitActions>
      </form>
    </Dialog>
  );
}
