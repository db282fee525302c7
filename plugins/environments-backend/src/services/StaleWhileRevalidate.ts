import { CacheService, LoggerService } from '@backstage/backend-plugin-api';
import { JsonObject } from '@backstage/types';
import { SingleFlight } from './SingleFlight';

/** Last known data is kept this long, to show when the source is down. */
const KEEP_MS = 7 * 24 * 3600_000;
/** A failed source is asked again after this long, not on every view. */
const RETRY_UNKNOWN_MS = 30_000;

interface Entry<T> {
  /** Absent when nothing was ever loaded (only `error` is known). */
  value?: T;
  storedAt: number;
  /** The last refresh failed: why and when. */
  error?: { reason: string; at: number };
}

/** A value with how fresh it is. */
export interface Revalidated<T> {
  value?: T;
  status: 'ok' | 'stale' | 'unavailable';
  reason?: string;
  asOf?: string;
}

/**
 * Caches what upstream systems answer (through the Backstage cache service) with
 * stale-while-revalidate: fresh entries answer at once; older ones answer at once too while one
 * refresh runs in the background; concurrent callers of one key share one upstream call. When
 * a refresh fails, the last known value is served marked stale with the reason; with nothing
 * known, the answer is `unavailable` and the reason, never an exception.
 */
export class StaleWhileRevalidate {
  private readonly flights = new SingleFlight();

  constructor(
    private readonly cache: CacheService,
    private readonly logger: LoggerService,
  ) {}

  async get<T>(
    key: string,
    /** How long a value stays fresh; may depend on it (e.g. shorter while a run is going). */
    freshMs: (value: T) => number,
    load: () => Promise<T>,
    /** Failures that are answers, not outages (no such run): thrown to the caller, not cached. */
    isAnswer: (error: unknown) => boolean = () => false,
  ): Promise<Revalidated<T>> {
    const entry = (await this.cache.get(key)) as Entry<T> | undefined;
    if (entry?.value === undefined) {
      const recentFailure =
        entry?.error && Date.now() - entry.error.at < RETRY_UNKNOWN_MS;
      const loaded = recentFailure
        ? entry!
        : await this.refresh(key, load, undefined, isAnswer);
      return loaded.value === undefined
        ? { status: 'unavailable', reason: loaded.error?.reason }
        : this.answer(loaded);
    }
    const justFailed =
      entry.error && Date.now() - entry.error.at < RETRY_UNKNOWN_MS;
    // A source that just failed is left alone for a while rather than asked on every view.
    if (!justFailed && Date.now() - entry.storedAt >= freshMs(entry.value)) {
      // Served as it is; the next caller gets what this refresh finds.
      this.refresh(key, load, entry, isAnswer).catch(() => {});
    }
    return this.answer(entry);
  }

  private answer<T>(entry: Entry<T>): Revalidated<T> {
    return {
      value: entry.value,
      status: entry.error ? 'stale' : 'ok',
      reason: entry.error?.reason,
      asOf: new Date(entry.storedAt).toISOString(),
    };
  }

  /** Loads once per key at a time; a failure is recorded on the last known entry. */
  private refresh<T>(
    key: string,
    load: () => Promise<T>,
    known: Entry<T> | undefined,
    isAnswer: (error: unknown) => boolean,
  ): Promise<Entry<T>> {
    return this.flights.run(key, async (): Promise<Entry<T>> => {
      let entry: Entry<T>;
      try {
        entry = { value: await load(), storedAt: Date.now() };
      } catch (error) {
        if (isAnswer(error)) throw error;
        const reason = (error as Error).message;
        this.logger.warn(`Refreshing ${key} failed: ${reason}`);
        entry = {
          ...known,
          storedAt: known?.storedAt ?? 0,
          error: { reason, at: Date.now() },
        };
      }
      await this.cache.set(key, entry as unknown as JsonObject, {
        ttl: entry.value === undefined ? RETRY_UNKNOWN_MS : KEEP_MS,
      });
      return entry;
    });
  }
}
