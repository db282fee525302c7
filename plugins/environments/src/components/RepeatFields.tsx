import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';

/** How often a booking or blackout repeats; `keep` leaves an existing series' rule as it is. */
export type Repeat = 'none' | 'DAILY' | 'WEEKLY' | 'keep';

/** The rule a daily or weekly choice stands for (the backend accepts FREQ and COUNT). */
export function repeatRule(
  repeat: 'DAILY' | 'WEEKLY',
  occurrences: number,
): string {
  return `FREQ=${repeat};COUNT=${occurrences}`;
}

/**
 * The "Repeat" picker and, for a daily or weekly repeat, the number of occurrences; shared by
 * the booking and the blackout dialogs.
 */
export function RepeatFields(props: {
  /** Prefix of the fields' ids, e.g. `booking` gives `booking-repeat`. */
  idPrefix: string;
  repeat: Repeat;
  onRepeat: (repeat: Repeat) => void;
  occurrences: number;
  onOccurrences: (occurrences: number) => void;
  /** An existing series' rule, offered as "As now". */
  currentRule?: string;
}) {
  const { repeat } = props;
  return (
    <>
      <TextField
        select
        id={`${props.idPrefix}-repeat`}
        label="Repeat"
        value={repeat}
        onChange={e => props.onRepeat(e.target.value as Repeat)}
        margin="dense"
        style={{ minWidth: 160 }}
      >
        <MenuItem value="none">Does not repeat</MenuItem>
        <MenuItem value="DAILY">Daily</MenuItem>
        <MenuItem value="WEEKLY">Weekly</MenuItem>
        {props.currentRule && (
          <MenuItem value="keep">As now: {props.currentRule}</MenuItem>
        )}
      </TextField>{' '}
      {(repeat === 'DAILY' || repeat === 'WEEKLY') && (
        <TextField
          id={`${props.idPrefix}-occurrences`}
          label="Occurrences"
          type="number"
          value={props.occurrences}
          onChange={e => props.onOccurrences(Number(e.target.value))}
          margin="dense"
          inputProps={{ min: 2, max: 100 }}
        />
      )}
    </>
  );
}
