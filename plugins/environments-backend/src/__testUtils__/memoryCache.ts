import { CacheService } from '@backstage/backend-plugin-api';

/** An in-memory cache service with expiry, for services tested outside a backend. */
export function memoryCache(): CacheService {
  const entries = new Map<string, { value: unknown; expires: number }>();
  const cache: CacheService = {
    async get(key) {
      const entry = entries.get(key);
      if (!entry || entry.expires <= Date.now()) return undefined;
      return entry.value as any;
    },
    async set(key, value, options) {
      entries.set(key, {
        value,
        expires:
          Date.now() + ((options?.ttl as number | undefined) ?? Infinity),
      });
    },
    async delete(key) {
      entries.delete(key);
    },
    withOptions: () => cache,
  };
  return cache;
}
