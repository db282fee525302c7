import {
  REFUSAL_KINDS,
  UsageFigures,
} from '@internal/plugin-environments-common';

/** A ratio as a whole percentage; a dash when there was nothing to measure it on. */
export function formatRatio(ratio: number | undefined): string {
  return ratio === undefined ? '—' : `${Math.round(ratio * 100)}%`;
}

/** Hours with at most one decimal below 10 and none above; a dash when unknown. */
export function formatHours(hours: number | undefined): string {
  if (hours === undefined) return '—';
  return `${hours < 10 ? Number(hours.toFixed(1)) : Math.round(hours)} h`;
}

/** Refused requests in all, e.g. `3 (2 conflict, 1 policy)`; `0` without any. */
export function formatRefusals(refusals: UsageFigures['refusals']): string {
  const parts = REFUSAL_KINDS.filter(kind => refusals[kind] > 0).map(
    kind => `${refusals[kind]} ${kind}`,
  );
  const total = REFUSAL_KINDS.reduce((sum, kind) => sum + refusals[kind], 0);
  return parts.length ? `${total} (${parts.join(', ')})` : '0';
}
