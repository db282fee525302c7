const HOUR = 3600_000;

/** What the idle-release task does to one running booking now. */
export type IdleAction =
  /** Nothing: in use, not idle long enough, or the offer's grace period is still running. */
  | 'none'
  /** Offer its holder to release it (and note when). */
  | 'offer'
  /** Close the open offer: there was activity since it was made. */
  | 'withdraw'
  /** Release it: the offer went unanswered for the grace period. */
  | 'release';

/**
 * The start of a booking's idle clock: the latest of its start, the last deployment to its
 * environment, and the last time its holder chose to keep it.
 */
export function idleSince(
  booking: { start: Date; idleKeptAt?: Date },
  lastDeploymentAt?: Date,
): Date {
  return new Date(
    Math.max(
      booking.start.getTime(),
      lastDeploymentAt?.getTime() ?? -Infinity,
      booking.idleKeptAt?.getTime() ?? -Infinity,
    ),
  );
}

/**
 * The idle rule for an approved booking running at `now`. Without a deployment to its
 * environment for `idleReleaseHours` since its idle clock started, its holder is offered to
 * release it; a deployment (or the holder keeping it) after the offer withdraws the offer; an
 * offer left `graceMs` without either releases the booking. Without an idle-release policy an
 * open offer is withdrawn and nothing else happens.
 */
export function decideIdle(options: {
  booking: { start: Date; idleOfferedAt?: Date; idleKeptAt?: Date };
  lastDeploymentAt?: Date;
  idleReleaseHours?: number;
  graceMs: number;
  now: Date;
}): IdleAction {
  const { booking, idleReleaseHours, graceMs, now } = options;
  const offeredAt = booking.idleOfferedAt?.getTime();
  const since = idleSince(booking, options.lastDeploymentAt).getTime();
  if (offeredAt !== undefined) {
    if (idleReleaseHours === undefined || since > offeredAt) return 'withdraw';
    return now.getTime() >= offeredAt + graceMs ? 'release' : 'none';
  }
  if (idleReleaseHours === undefined) return 'none';
  return now.getTime() - since >= idleReleaseHours * HOUR ? 'offer' : 'none';
}
