import { benchBookingCreate, CreateRow } from './bookingCreate';
import { BenchDatabaseId, freshDatabase } from './databases';
import { benchReads, ReadRow } from './reads';
import { ms } from './stats';

/** Each environment's bookings ahead: the fortnight's 10,000 bookings stay the same at any size. */
const FUTURE_BOOKINGS = 20;

export interface GrowthRow {
  database: BenchDatabaseId;
  bookings: number;
  timeline: ReadRow;
  create: CreateRow;
}

/**
 * Row 7: rows 1 and 2 again over growing tables. Each size gets a fresh database; only the
 * history grows, so the timeline's answer stays the same and only the table's size changes.
 * Creates then book far beyond the seeded bookings, so none collide.
 */
export async function benchGrowth(
  id: BenchDatabaseId,
  options: { sizes: number[]; seconds: number },
): Promise<GrowthRow[]> {
  const rows: GrowthRow[] = [];
  for (const size of options.sizes) {
    const db = await freshDatabase(id);
    try {
      const timeline = await benchReads(db, {
        bookings: size,
        seconds: options.seconds,
        availability: false,
        futureBookings: FUTURE_BOOKINGS,
      });
      const [create] = await benchBookingCreate(db, {
        concurrencies: [8],
        seconds: options.seconds,
        repetitions: 1,
        diagnose: false,
      });
      rows.push({
        database: id,
        bookings: timeline.bookings,
        timeline,
        create,
      });
    } finally {
      await db.drop();
    }
  }
  return rows;
}

/**
 * Row 7 as Markdown. "No faster than log n": from the smallest to the largest table, p95 may
 * grow by at most the ratio of their logarithms (1.5 from 10k to 1M).
 */
export function growthSection(rows: GrowthRow[]): string {
  const lines = [
    '| Database | Bookings | Timeline API p95 ms | Same SQL p95 ms | Create API/s, 8 clients | Create API p95 ms | Bare transactions/s |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map(
      row =>
        `| ${row.database} | ${row.bookings.toLocaleString('en-US')} | ${ms(
          row.timeline.timelineApi.p95,
        )} | ${ms(
          row.timeline.timelineRaw.p95,
        )} | ${row.create.apiPerSecond.toFixed(0)} | ${ms(
          row.create.api.p95,
        )} | ${row.create.barePerSecond.toFixed(0)} |`,
    ),
    '',
    '| Database | Growth in bookings | log n grows by | Timeline API p95 grows by | Create API p95 grows by | Verdict |',
    '| --- | --- | --- | --- | --- | --- |',
  ];
  for (const database of new Set(rows.map(row => row.database))) {
    const sized = rows.filter(row => row.database === database);
    const [small, large] = [sized[0], sized[sized.length - 1]];
    if (!small || small === large) continue;
    const logGrowth = Math.log(large.bookings) / Math.log(small.bookings);
    const timelineGrowth =
      large.timeline.timelineApi.p95 / small.timeline.timelineApi.p95;
    const createGrowth = large.create.api.p95 / small.create.api.p95;
    const met = timelineGrowth <= logGrowth && createGrowth <= logGrowth;
    lines.push(
      `| ${database} | ${small.bookings.toLocaleString(
        'en-US',
      )} → ${large.bookings.toLocaleString('en-US')} (×${(
        large.bookings / small.bookings
      ).toFixed(0)}) | ×${logGrowth.toFixed(2)} | ×${timelineGrowth.toFixed(
        2,
      )} | ×${createGrowth.toFixed(2)} | ${met ? 'met' : 'not met'} |`,
    );
  }
  return lines.join('\n');
}
