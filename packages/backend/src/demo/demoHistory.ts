import { DatabaseService } from '@backstage/backend-plugin-api';

type Knex = Awaited<ReturnType<DatabaseService['getClient']>>;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Days of history the demo starts with. */
const DAYS = 14;
const PROBE_EVERY = 15 * MINUTE;
/** Marks the generated bookings, so that the history is written once. */
const ID_PREFIX = 'demo-history-';
const REQUESTERS = [
  'user:default/guest',
  'user:default/alice',
  'user:default/bob',
  'user:default/carol',
];

/**
 * Whether the probe of `environment` at `at` fails, in the demo's made-up history: Checkout QA
 * 2 is down six hours every third day, Staging EU two hours on one day; the rest always answer.
 */
function probeFails(environment: string, at: number): boolean {
  const day = Math.floor(at / DAY);
  const hour = new Date(at).getUTCHours();
  if (environment.endsWith('/checkout-qa-2')) {
    return day % 3 === 0 && hour >= 8 && hour < 14;
  }
  if (environment.endsWith('/staging-eu')) {
    return day % 7 === 2 && hour >= 15 && hour < 17;
  }
  return false;
}

/**
 * Writes the last 14 days of generated history into the plugin's tables, once, so that the
 * usage charts of a fresh demo have something to show: health probes, past bookings (some
 * approved after a wait, some released early), refused requests and a maintenance window.
 * Every text says it is demo data. Returns false while the plugin has not yet created its
 * tables or stored the catalog's environments (the caller tries again later).
 */
export async function writeDemoHistory(
  knex: Knex,
  now: Date,
): Promise<boolean> {
  if (!(await knex.schema.hasTable('booking_refusals'))) return false;
  const environments: Array<{
    entity_ref: string;
    tier: string;
    bookable: unknown;
  }> = await knex('environments')
    .select('entity_ref', 'tier', 'bookable')
    .whereNull('removed_at')
    .orderBy('entity_ref');
  if (environments.length === 0) return false;
  const written = await knex('bookings')
    .where('id', 'like', `${ID_PREFIX}%`)
    .first();
  if (written) return true;

  const start = Math.floor((now.getTime() - DAYS * DAY) / HOUR) * HOUR;
  await knex.transaction(async tx => {
    // The plugin knew these environments before the history began.
    await tx('environments')
      .where('first_seen_at', '>', new Date(start))
      .update({ first_seen_at: new Date(start) });

    for (const [
      index,
      { entity_ref: ref, tier, bookable },
    ] of environments.entries()) {
      const probes = [];
      for (let at = start; at < now.getTime(); at += PROBE_EVERY) {
        const fails = probeFails(ref, at);
        probes.push({
          environment_ref: ref,
          checked_at: new Date(at),
          ok: !fails,
          http_status: fails ? 503 : 200,
          latency_ms: fails ? 20 : 120 + ((at / PROBE_EVERY) % 7) * 10,
          reason: fails ? 'answered 503 (demo history)' : null,
        });
      }
      // Chunks keep SQLite's bound parameters within its limit.
      for (let i = 0; i < probes.length; i += 100) {
        await tx('health_checks').insert(probes.slice(i, i + 100));
      }
      if (!bookable) continue;

      const bookings = [];
      const refusals = [];
      for (let day = 0; day < DAYS; day++) {
        // Four days in five, a booking of 3 to 8 hours from 09:00 UTC.
        const dayStart = start + day * DAY;
        const morning = dayStart - (dayStart % DAY) + 9 * HOUR;
        if ((day + index) % 5 === 4) continue;
        const hours = 3 + ((day * 3 + index) % 6);
        const needsApproval = tier === 'staging';
        const requestedAt = morning - (6 + (day % 4) * 5) * HOUR;
        const releasedEarly = day % 4 === 1;
        const end = morning + (releasedEarly ? hours - 1 : hours) * HOUR;
        if (end > now.getTime()) continue;
        bookings.push({
          id: `${ID_PREFIX}${index}-${day}`,
          environment_ref: ref,
          requester_ref: REQUESTERS[(day + index) % REQUESTERS.length],
          team_ref: null,
          title: `[demo] Regression run ${day + 1}`,
          purpose: 'testing',
          starts_at: new Date(morning),
          ends_at: new Date(end),
          status: releasedEarly ? 'released' : 'expired',
          original_ends_at: new Date(morning + hours * HOUR),
          extension_count: 0,
          created_at: new Date(requestedAt),
          updated_at: new Date(end),
          decided_by_ref: needsApproval ? 'user:default/dave' : null,
          decided_at: needsApproval
            ? new Date(requestedAt + (1 + (day % 3)) * HOUR)
            : null,
        });
        if (day % 3 === index % 3) {
          refusals.push({
            environment_ref: ref,
            at: new Date(morning + HOUR),
            kind: day % 2 ? 'conflict' : 'policy',
            requester_ref: REQUESTERS[(day + index + 1) % REQUESTERS.length],
          });
        }
      }
      if (bookings.length) await tx('bookings').insert(bookings);
      if (refusals.length) await tx('booking_refusals').insert(refusals);
    }

    const staging = environments.find(e =>
      e.entity_ref.endsWith('/checkout-staging'),
    );
    if (staging) {
      const maintenance = start + 9 * DAY + 20 * HOUR;
      await tx('blackouts').insert({
        id: `${ID_PREFIX}maintenance`,
        scope: 'environment',
        scope_key: staging.entity_ref,
        kind: 'maintenance',
        title: '[demo] Database upgrade',
        reason: 'Demo history',
        starts_at: new Date(maintenance),
        ends_at: new Date(maintenance + 4 * HOUR),
        created_by_ref: 'user:default/dave',
        created_at: new Date(maintenance - 2 * DAY),
      });
    }
  });
  return true;
}
