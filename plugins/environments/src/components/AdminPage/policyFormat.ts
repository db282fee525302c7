import { BookingPolicy } from '@internal/plugin-environments-common';

/** How the administration page labels each policy field; typed so a new field needs a label. */
export const POLICY_FIELD_LABELS: Record<
  keyof BookingPolicy,
  { label: string; unit?: string }
> = {
  maxDurationHours: { label: 'Longest booking', unit: 'hours' },
  maxAdvanceDays: { label: 'Bookable ahead', unit: 'days' },
  minNoticeMinutes: { label: 'Notice needed', unit: 'minutes' },
  maxExtensions: { label: 'Extensions per booking' },
  requiresApproval: { label: 'Owner approval' },
  idleReleaseHours: { label: 'Idle release after', unit: 'hours' },
};

/** The number fields of a policy, in the order the page shows them. */
export const NUMBER_FIELDS = (
  Object.keys(POLICY_FIELD_LABELS) as Array<keyof BookingPolicy>
).filter(field => field !== 'requiresApproval') as Array<
  Exclude<keyof BookingPolicy, 'requiresApproval'>
>;

/**
 * A policy in one line, e.g. `at most 8 h · 30 days ahead · 60 min notice · 1 extension ·
 * approval`; `no limits` when nothing is set.
 */
export function describePolicy(policy: Partial<BookingPolicy>): string {
  const parts: string[] = [];
  if (policy.maxDurationHours !== undefined)
    parts.push(`at most ${policy.maxDurationHours} h`);
  if (policy.maxAdvanceDays !== undefined)
    parts.push(`${policy.maxAdvanceDays} days ahead`);
  if (policy.minNoticeMinutes !== undefined)
    parts.push(`${policy.minNoticeMinutes} min notice`);
  if (policy.maxExtensions !== undefined)
    parts.push(
      `${policy.maxExtensions} extension${
        policy.maxExtensions === 1 ? '' : 's'
      }`,
    );
  if (policy.idleReleaseHours !== undefined)
    parts.push(`idle release after ${policy.idleReleaseHours} h`);
  if (policy.requiresApproval !== undefined)
    parts.push(policy.requiresApproval ? 'approval' : 'no approval');
  return parts.length ? parts.join(' · ') : 'no limits';
}

/**
 * The backend's 400 reasons by form field: `policy.maxDurationHours: must be more than 0`,
 * `body.capacity: must be <= 1000` or `componentSlots[1]: no component …` go to the field they
 * name; reasons naming no field of the form are returned in `other`.
 */
export function fieldErrors(
  message: string,
  fields: readonly string[],
): { byField: Record<string, string>; other: string[] } {
  const byField: Record<string, string> = {};
  const other: string[] = [];
  for (const part of message.split('; ')) {
    const match = /^([\w.[\]]+): (.*)$/s.exec(part);
    const field = match?.[1]
      .replace(/^body\./, '')
      .replace(/^policy\./, '')
      .replace(/\[\d+\]$/, '');
    if (match && field && fields.includes(field)) {
      byField[field] = byField[field]
        ? `${byField[field]}; ${match[2]}`
        : match[2];
    } else {
      other.push(part);
    }
  }
  return { byField, other };
}
