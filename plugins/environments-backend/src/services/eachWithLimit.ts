/**
 * Runs `work` on every item, with at most `limit` running at once: enough to overlap waiting
 * on slow upstreams, few enough not to queue all of them behind one server at once.
 */
export async function eachWithLimit<T>(
  items: T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}
