/** A PromQL string literal. */
function quote(value: string): string {
  return `"${value
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\n/g, '\\n')}"`;
}

/**
 * The selector narrowed by extra label matchers:
 * `http_requests_total{job="checkout"}` with `{ env: 'qa' }` gives
 * `http_requests_total{job="checkout",env="qa"}`.
 */
export function withLabels(
  selector: string,
  labels: Record<string, string>,
): string {
  const matchers = Object.entries(labels).map(
    ([name, value]) => `${name}=${quote(value)}`,
  );
  if (matchers.length === 0) return selector;
  const trimmed = selector.trim();
  if (!trimmed.endsWith('}')) return `${trimmed}{${matchers.join(',')}}`;
  const inner = trimmed.slice(trimmed.indexOf('{') + 1, -1).trim();
  const head = trimmed.slice(0, trimmed.indexOf('{'));
  return `${head}{${[inner.replace(/,$/, ''), ...matchers]
    .filter(Boolean)
    .join(',')}}`;
}

/** Events a counter counted in each bucket of `stepSeconds`, summed over its series. */
export function countQuery(selector: string, stepSeconds: number): string {
  return `sum(increase(${selector}[${stepSeconds}s]))`;
}

/** The highest (or lowest) value of a gauge in each bucket of `stepSeconds`, over its series. */
export function worstQuery(
  selector: string,
  stepSeconds: number,
  worst: 'max' | 'min',
): string {
  return `${worst}(${worst}_over_time(${selector}[${stepSeconds}s]))`;
}
