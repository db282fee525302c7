import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  Blackout,
  EnvironmentStatus,
} from '@internal/plugin-environments-common';
import {
  BOOKING_LIMITS,
  dateField,
  rejectUnknownFields,
  requireObject,
  stringField,
} from './bookings';
import { endingAtLastOccurrence, expandOccurrences } from './recurrence';

/** A validated blackout request; `start` and `end` bound its first occurrence. */
export interface NewBlackout {
  scope: Blackout['scope'];
  scopeKey: string;
  kind: Blackout['kind'];
  title: string;
  reason?: string;
  start: Date;
  end: Date;
  /**
   * A recurring blackout's rule, bounded by UNTIL its last occurrence so that it can be expanded
   * again from any occurrence (see `endingAtLastOccurrence`).
   */
  rrule?: string;
  /** Every occurrence, earliest first; just `start`-`end` without a rule. */
  occurrences: Array<{ start: Date; end: Date }>;
}

/** A blackout (or one occurrence of a recurring one) as stored, with real dates. */
export interface StoredBlackout
  extends Omit<Blackout, 'start' | 'end' | 'createdAt'> {
  start: Date;
  end: Date;
  createdAt: Date;
}

/**
 * Validates the body of `POST /blackouts` and `PUT /blackouts/{id}`; throws InputError naming
 * the field. With an `rrule` the blackout repeats as a booking series does (same rule parts and
 * limits), the first occurrence being `start`-`end`.
 */
export function parseNewBlackout(body: unknown, now: Date): NewBlackout {
  const fields = requireObject(body);
  rejectUnknownFields(fields, [
    'scope',
    'scopeKey',
    'kind',
    'title',
    'reason',
    'start',
    'end',
    'rrule',
  ]);
  const scope = fields.scope;
  if (scope !== 'environment' && scope !== 'tier') {
    throw new InputError('scope: must be environment or tier');
  }
  const kind = fields.kind ?? 'blackout';
  if (kind !== 'blackout' && kind !== 'maintenance') {
    throw new InputError('kind: must be blackout or maintenance');
  }
  const rawKey = stringField(fields, 'scopeKey', 255, true)!.trim();
  let scopeKey = rawKey.toLocaleLowerCase('en-US');
  if (scope === 'environment') {
    try {
      scopeKey = stringifyEntityRef(
        parseEntityRef(rawKey, {
          defaultKind: 'resource',
          defaultNamespace: 'default',
        }),
      );
    } catch {
      throw new InputError('scopeKey: is not a valid entity ref');
    }
  } else if (!scopeKey) {
    throw new InputError('scopeKey: must name a tier');
  }
  const title = stringField(
    fields,
    'title',
    BOOKING_LIMITS.titleLength,
    true,
  )!.trim();
  if (!title) throw new InputError('title: must not be blank');
  const start = dateField(fields, 'start');
  const end = dateField(fields, 'end');
  if (end.getTime() <= start.getTime())
    throw new InputError('end: must be after start');
  if (end.getTime() <= now.getTime())
    throw new InputError('end: must be in the future');
  // Bookings cannot start later either, so a blackout further ahead could only be a mistake.
  if (start.getTime() > now.getTime() + BOOKING_LIMITS.maxAdvanceMs) {
    throw new InputError('start: must be within 365 days from now');
  }
  if (end.getTime() - start.getTime() > BOOKING_LIMITS.maxAdvanceMs) {
    throw new InputError('end: a blackout may last at most 365 days');
  }
  const occurrences =
    fields.rrule === undefined
      ? [{ start, end }]
      : expandOccurrences(fields.rrule, { start, end }, now);
  return {
    scope,
    scopeKey,
    kind,
    title,
    reason:
      stringField(fields, 'reason', BOOKING_LIMITS.reasonLength, false) ||
      undefined,
    start,
    end,
    rrule:
      fields.rrule === undefined
        ? undefined
        : endingAtLastOccurrence(
            String(fields.rrule),
            occurrences[occurrences.length - 1].start,
          ),
    occurrences,
  };
}

/**
 * What the audit log keeps of a blackout: the first occurrence as the API shows it and, for a
 * recurring one, the bounds of every occurrence.
 */
export function auditedBlackout(occurrences: StoredBlackout[]) {
  return {
    ...toBlackoutResponse(occurrences[0]),
    ...(occurrences.length > 1 && {
      occurrences: occurrences.map(o => ({
        start: o.start.toISOString(),
        end: o.end.toISOString(),
      })),
    }),
  };
}

/** Whether a blackout covers an environment. */
export function appliesTo(
  blackout: StoredBlackout,
  environment: { entityRef: string; tier: string },
): boolean {
  return blackout.scope === 'environment'
    ? blackout.scopeKey === environment.entityRef
    : blackout.scopeKey === environment.tier;
}

/**
 * The status users see: the stored status, except that an available environment inside one of
 * its maintenance windows shows as in maintenance.
 */
export function effectiveStatus(
  stored: EnvironmentStatus,
  blackouts: StoredBlackout[],
  now: Date,
): EnvironmentStatus {
  const inMaintenance = blackouts.some(
    b =>
      b.kind === 'maintenance' &&
      b.start.getTime() <= now.getTime() &&
      now.getTime() < b.end.getTime(),
  );
  return stored === 'available' && inMaintenance ? 'maintenance' : stored;
}

export function toBlackoutResponse(blackout: StoredBlackout): Blackout {
  return {
    ...blackout,
    start: blackout.start.toISOString(),
    end: blackout.end.toISOString(),
    createdAt: blackout.createdAt.toISOString(),
  };
}
