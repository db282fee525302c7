import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  Booking,
  BookingPolicy,
  BOOKING_PURPOSES,
  BookingPurpose,
  Environment,
} from '@internal/plugin-environments-common';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { FormEvent, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { BookingConflictError, environmentsApiRef } from '../../api';
import { errorMessage } from '../BookingSubject';
import { formatDateTime, fromLocalInput, toLocalInput } from '../time';
import { Repeat, RepeatFields, repeatRule } from '../RepeatFields';

const HOUR = 3600_000;

/** Form to book one environment; explains a refusal and offers the next free slot. */
export function BookingDialog(props: {
  environment: Environment;
  open: boolean;
  onClose: () => void;
  onBooked: (booking: Booking) => void;
  /** Called after the user joined the waitlist instead of booking. */
  onWaitlisted?: (position: number | undefined) => void;
  /** Slot to start from, e.g. where the user clicked on the timeline. */
  initialSlot?: { start: Date; end: Date };
}) {
  const { environment, open, onClose, onBooked, onWaitlisted, initialSlot } =
    props;
  const api = useApi(environmentsApiRef);
  const [title, setTitle] = useState('');
  const [purpose, setPurpose] = useState<BookingPurpose>('testing');
  // '' books the whole environment; otherwise one of its component slots.
  const [componentRef, setComponentRef] = useState('');
  const [reason, setReason] = useState('');
  const [externalLink, setExternalLink] = useState('');
  const [start, setStart] = useState(() =>
    toLocalInput(initialSlot?.start ?? new Date()),
  );
  const [end, setEnd] = useState(() =>
    toLocalInput(initialSlot?.end ?? new Date(Date.now() + 2 * HOUR)),
  );
  const [repeat, setRepeat] = useState<Repeat>('none');
  const [occurrences, setOccurrences] = useState(4);
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<Error>();
  const timeZone = new Intl.DateTimeFormat().resolvedOptions().timeZone;

  const request = () => ({
    environmentRef: environment.entityRef,
    componentRef: componentRef || undefined,
    title,
    purpose,
    reason: reason || undefined,
    externalLink: externalLink || undefined,
    start: fromLocalInput(start),
    end: fromLocalInput(end),
  });

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSubmitting(true);
    setError(undefined);
    try {
      if (repeat === 'DAILY' || repeat === 'WEEKLY') {
        const series = await api.createBookingSeries({
          ...request(),
          rrule: repeatRule(repeat, occurrences),
        });
        onBooked(series.items[0]);
      } else {
        onBooked(await api.createBooking(request()));
      }
    } catch (e) {
      setError(e as Error);
    } finally {
      setSubmitting(false);
    }
  }

  async function joinWaitlist() {
    try {
      const entry = await api.joinWaitlist(request());
      onWaitlisted?.(entry.position);
    } catch (e) {
      setError(e as Error);
    }
  }

  // Who already holds the chosen time, shown before submitting; the backend has the last word.
  const holders = useAsync(async () => {
    const from = fromLocalInput(start);
    const to = fromLocalInput(end);
    if (
      Number.isNaN(Date.parse(from)) ||
      Number.isNaN(Date.parse(to)) ||
      from >= to
    ) {
      return [];
    }
    return api.listBookings({
      environmentRef: environment.entityRef,
      status: ['approved'],
      from,
      to,
    });
  }, [api, environment.entityRef, start, end]);

  function takeSlot(slot: { start: string; end: string }) {
    setStart(toLocalInput(new Date(slot.start)));
    setEnd(toLocalInput(new Date(slot.end)));
    setError(undefined);
  }

  return (
    <Dialog open={open} onClose={onClose} fullWidth maxWidth="sm">
      <form
        onSubmit={submit}
        aria-label={`Book ${environment.title ?? environment.name}`}
      >
        <DialogTitle>Book {environment.title ?? environment.name}</DialogTitle>
        <DialogContent>
          {error && (
            <BookingError
              error={error}
              onUseSlot={takeSlot}
              onJoinWaitlist={joinWaitlist}
            />
          )}
          <PolicyHint policy={environment.policy} />
          {!error && (holders.value?.length ?? 0) >= environment.capacity && (
            <Alert severity="info">
              Already booked in this time:{' '}
              {holders
                .value!.map(b => `${b.title} until ${formatDateTime(b.end)}`)
                .join('; ')}
            </Alert>
          )}
          <TextField
            id="booking-title"
            label="Title"
            value={title}
            onChange={e => setTitle(e.target.value)}
            required
            fullWidth
            margin="dense"
            inputProps={{ maxLength: 200 }}
          />
          {environment.componentSlots.length > 0 && (
            <TextField
              select
              id="booking-component"
              label="What to book"
              value={componentRef}
              onChange={e => setComponentRef(e.target.value)}
              fullWidth
              margin="dense"
            >
              <MenuItem value="">The whole environment</MenuItem>
              {environment.componentSlots.map(ref => (
                <MenuItem key={ref} value={ref}>
                  Only {ref.replace(/^component:default\//, '')}
                </MenuItem>
              ))}
            </TextField>
          )}
          <TextField
            select
            id="booking-purpose"
            label="Purpose"
            value={purpose}
            onChange={e => setPurpose(e.target.value as BookingPurpose)}
            fullWidth
            margin="dense"
          >
            {BOOKING_PURPOSES.map(p => (
              <MenuItem key={p} value={p}>
                {p}
              </MenuItem>
            ))}
          </TextField>
          <TextField
            id="booking-start"
            label="Start"
            type="datetime-local"
            value={start}
            onChange={e => setStart(e.target.value)}
            required
            margin="dense"
            InputLabelProps={{ shrink: true }}
          />{' '}
          <TextField
            id="booking-end"
            label="End"
            type="datetime-local"
            value={end}
            onChange={e => setEnd(e.target.value)}
            required
            margin="dense"
            InputLabelProps={{ shrink: true }}
          />
          <RepeatFields
            idPrefix="booking"
            repeat={repeat}
            onRepeat={setRepeat}
            occurrences={occurrences}
            onOccurrences={setOccurrences}
          />
          <Typography variant="caption" display="block" color="textSecondary">
            Times are in your time zone, {timeZone}. The end is exclusive: a
            booking may start when another ends.
          </Typography>
          <TextField
            id="booking-reason"
            label="Reason"
            value={reason}
            onChange={e => setReason(e.target.value)}
            fullWidth
            multiline
            minRows={2}
            margin="dense"
            inputProps={{ maxLength: 4000 }}
          />
          <TextField
            id="booking-link"
            label="Ticket or pull request link"
            type="url"
            value={externalLink}
            onChange={e => setExternalLink(e.target.value)}
            fullWidth
            margin="dense"
          />
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>Close</Button>
          <Button
            type="submit"
            color="primary"
            variant="contained"
            disabled={submitting}
          >
            Book
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}

/** The environment's booking rules, so the user sees them before submitting. */
function PolicyHint({ policy }: { policy: BookingPolicy }) {
  const rules = [
    policy.requiresApproval && 'needs approval by its owners',
    policy.maxDurationHours !== undefined &&
      `at most ${policy.maxDurationHours} h`,
    policy.maxAdvanceDays !== undefined &&
      `up to ${policy.maxAdvanceDays} days ahead`,
    policy.minNoticeMinutes !== undefined &&
      `${policy.minNoticeMinutes} minutes' notice`,
    policy.maxExtensions !== undefined &&
      `${policy.maxExtensions} extension(s)`,
  ].filter(Boolean);
  if (rules.length === 0) return null;
  return (
    <Typography variant="body2" color="textSecondary" gutterBottom>
      Booking rules: {rules.join(', ')}.
    </Typography>
  );
}

function BookingError(props: {
  error: Error;
  onUseSlot: (slot: { start: string; end: string }) => void;
  onJoinWaitlist: () => void;
}) {
  const { error, onUseSlot, onJoinWaitlist } = props;
  if (!(error instanceof BookingConflictError)) {
    return (
      <Alert severity="error" role="alert">
        {errorMessage(error)}
      </Alert>
    );
  }
  return (
    <Alert severity="warning" role="alert">
      <Typography variant="body2" gutterBottom>
        {error.message}:
      </Typography>
      <ul style={{ margin: 0, paddingLeft: 20 }}>
        {error.conflicts.map(c => (
          <li key={c.id}>
            <EntityRefLink entityRef={c.requesterRef} defaultKind="user" />{' '}
            {formatDateTime(c.start)} – {formatDateTime(c.end)}: {c.title} (
            {c.purpose})
          </li>
        ))}
      </ul>
      <Button size="small" onClick={onJoinWaitlist}>
        Join the waitlist for this slot
      </Button>
      {error.nextFreeSlot ? (
        <Button size="small" onClick={() => onUseSlot(error.nextFreeSlot!)}>
          Use the next free slot: {formatDateTime(error.nextFreeSlot.start)}
        </Button>
      ) : (
        <Typography variant="body2">
          No free slot of that length in the next 90 days.
        </Typography>
      )}
    </Alert>
  );
}
