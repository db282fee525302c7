import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';

/*
 * Query and body values the OpenAPI schema has let through, checked for what it cannot say
 * and turned into what the handlers work with; a bad value is a 400 naming the field.
 */

/** Absent, or one full entity ref (the schema has checked it is a short string). */
export function optionalEntityRef(
  value: string | undefined,
  name: string,
): string | undefined {
  if (value === undefined) return undefined;
  try {
    return stringifyEntityRef(parseEntityRef(value));
  } catch {
    throw new InputError(`${name}: is not a valid entity ref: ${value}`);
  }
}

/** An entity ref the schema has required. */
export function requiredEntityRef(value: string, name: string): string {
  return optionalEntityRef(value, name)!;
}

/** Absent, or a date-time the schema has checked; as a Date. */
export function optionalDate(
  value: string | undefined,
  name: string,
): Date | undefined {
  if (value === undefined) return undefined;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) {
    throw new InputError(`${name}: must be an ISO 8601 date-time`);
  }
  return date;
}

const DAY_MS = 24 * 3600_000;

/** A period `[from, to)` of at most `maxDays` days; a 400 otherwise. */
export function checkedPeriod(
  from: Date,
  to: Date,
  maxDays = 366,
): { from: Date; to: Date } {
  if (
    to.getTime() <= from.getTime() ||
    to.getTime() - from.getTime() > maxDays * DAY_MS
  ) {
    throw new InputError(
      `to must be after from, at most ${maxDays} days later`,
    );
  }
  return { from, to };
}
