import {
  fixedDurationMs,
  parseSloDuration,
  SloDuration,
} from '@internal/plugin-environments-common';
import { LineCounter, parseAllDocuments } from 'yaml';

/** How an SLO counts its budget (OpenSLO `budgetingMethod`). */
export type BudgetingMethod = 'Occurrences' | 'Timeslices' | 'RatioTimeslices';

/** A PromQL metric selector, e.g. `http_requests_total{job="checkout",code=~"5.."}`. */
export interface MetricQuery {
  sourceType: string;
  query: string;
}

/** What an SLO measures. */
export type Indicator =
  | {
      kind: 'ratio';
      /** Counters: the source counts their increase per bucket. */
      good?: MetricQuery;
      bad?: MetricQuery;
      total: MetricQuery;
    }
  | { kind: 'threshold'; metric: MetricQuery };

export type SloWindow =
  | { rolling: true; duration: SloDuration; durationMs: number; text: string }
  | {
      rolling: false;
      duration: SloDuration;
      /** Start of the first calendar window, UTC ms. */
      anchor: number;
      text: string;
    };

export interface Objective {
  name: string;
  target: number;
  /** Timeslices: the share of good events (or the threshold test) a slice must meet. */
  timeSliceTarget?: number;
  timeSliceWindowMs?: number;
  /** Threshold SLIs: a slice is good when `value op threshold`. */
  op?: 'lt' | 'lte' | 'gt' | 'gte';
  threshold?: number;
}

/** An OpenSLO v1 SLO, checked and normalised. */
export interface SloDefinition {
  name: string;
  displayName?: string;
  description?: string;
  service?: string;
  file: string;
  indicator: Indicator;
  window: SloWindow;
  budgetingMethod: BudgetingMethod;
  objectives: Objective[];
  /** The metric label that tells environments apart, e.g. `env`. */
  environmentLabel?: string;
}

/** Why a document was not accepted: the file, where in it, and the reason. */
export interface SloProblem {
  file: string;
  line?: number;
  field?: string;
  message: string;
}

/** Annotation on an OpenSLO SLO naming the metric label that holds the environment. */
export const SLO_ENVIRONMENT_LABEL_ANNOTATION = 'tem.dev/environment-label';

const BUDGETING_METHODS: BudgetingMethod[] = [
  'Occurrences',
  'Timeslices',
  'RatioTimeslices',
];
const OPERATORS = ['lt', 'lte', 'gt', 'gte'] as const;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
// A metric selector: a name with optional matchers, or matchers alone. Whole expressions are
// refused because the backend wraps the selector in `increase(...[step])` itself.
const SELECTOR =
  /^(?:[a-zA-Z_:][a-zA-Z0-9_:]*)?(?:\{(?:\s*[a-zA-Z_][a-zA-Z0-9_]*\s*(?:=|!=|=~|!~)\s*"(?:[^"\\]|\\.)*"\s*,?)*\s*\})?$/;

class Problem extends Error {
  constructor(readonly field: string, message: string) {
    super(message);
  }
}

type Json = Record<string, unknown>;

function object(value: unknown, field: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Problem(field, 'must be a mapping');
  }
  return value as Json;
}

function optionalString(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new Problem(field, 'must be a string');
  return value;
}

function requiredString(value: unknown, field: string): string {
  const text = optionalString(value, field);
  if (!text?.trim()) throw new Problem(field, 'is required');
  return text.trim();
}

function ratio(value: unknown, field: string): number {
  if (typeof value !== 'number' || !(value > 0 && value < 1)) {
    throw new Problem(field, 'must be a number between 0 and 1 (exclusive)');
  }
  return value;
}

function metric(value: unknown, field: string): MetricQuery {
  const source = object(
    object(value, field).metricSource,
    `${field}.metricSource`,
  );
  const sourceType = requiredString(source.type, `${field}.metricSource.type`);
  const spec = object(source.spec, `${field}.metricSource.spec`);
  const query = requiredString(spec.query, `${field}.metricSource.spec.query`);
  if (sourceType.toLowerCase() === 'prometheus' && !SELECTOR.test(query)) {
    throw new Problem(
      `${field}.metricSource.spec.query`,
      'must be a metric selector such as http_requests_total{job="checkout"}',
    );
  }
  return { sourceType: sourceType.toLowerCase(), query };
}

function indicatorOf(spec: Json, field: string): Indicator {
  if (spec.ratioMetric !== undefined) {
    const ratioMetric = object(spec.ratioMetric, `${field}.ratioMetric`);
    const good =
      ratioMetric.good === undefined
        ? undefined
        : metric(ratioMetric.good, `${field}.ratioMetric.good`);
    const bad =
      ratioMetric.bad === undefined
        ? undefined
        : metric(ratioMetric.bad, `${field}.ratioMetric.bad`);
    if (!good === !bad) {
      throw new Problem(
        `${field}.ratioMetric`,
        'needs exactly one of good or bad',
      );
    }
    if (ratioMetric.total === undefined) {
      throw new Problem(`${field}.ratioMetric.total`, 'is required');
    }
    // The SLI is computed from how much each counter grew per bucket; gauges of counts would
    // need another aggregation, which no source offers yet.
    if (ratioMetric.counter !== undefined && ratioMetric.counter !== true) {
      throw new Problem(
        `${field}.ratioMetric.counter`,
        'only counters are supported (counter: true)',
      );
    }
    return {
      kind: 'ratio',
      good,
      bad,
      total: metric(ratioMetric.total, `${field}.ratioMetric.total`),
    };
  }
  if (spec.thresholdMetric !== undefined) {
    return {
      kind: 'threshold',
      metric: metric(spec.thresholdMetric, `${field}.thresholdMetric`),
    };
  }
  throw new Problem(field, 'needs a ratioMetric or a thresholdMetric');
}

const DAY_MS = 24 * 3600_000;
const YEAR_MS = 366 * DAY_MS;
/**
 * The shortest bucket counters are read in: with a usual scrape interval of 1m, a shorter
 * range often holds a single sample, and an increase needs two.
 */
export const MIN_COUNT_BUCKET_MS = 5 * 60_000;
/** Most timeslices a window may have: ten range queries' worth. */
const MAX_SLICES = 110_000;

/** A window's length, months taken as 31 days: enough to bound its cost. */
function approximateLengthMs(duration: SloDuration): number {
  const months = { M: 1, Q: 3, Y: 12 }[duration.unit as 'M' | 'Q' | 'Y'];
  return fixedDurationMs(duration) ?? duration.count * months * 31 * DAY_MS;
}

/** Whether a window is at most a year: longer ones would cost unbounded queries. */
function withinLongestWindow(duration: SloDuration): boolean {
  const fixed = fixedDurationMs(duration);
  if (fixed !== undefined) return fixed <= YEAR_MS;
  const months = { M: 1, Q: 3, Y: 12 }[duration.unit as 'M' | 'Q' | 'Y'];
  return duration.count * months <= 12;
}

function windowOf(value: unknown): SloWindow {
  if (!Array.isArray(value) || value.length !== 1) {
    throw new Problem('spec.timeWindow', 'must list exactly one time window');
  }
  const window = object(value[0], 'spec.timeWindow[0]');
  const text = requiredString(window.duration, 'spec.timeWindow[0].duration');
  const duration = parseSloDuration(text);
  if (!duration) {
    throw new Problem(
      'spec.timeWindow[0].duration',
      `"${text}" is not a duration such as 30d, 4w, 1M or 1Q`,
    );
  }
  if (!withinLongestWindow(duration)) {
    throw new Problem(
      'spec.timeWindow[0].duration',
      'a window may be at most a year long',
    );
  }
  if (window.isRolling !== false) {
    const durationMs = fixedDurationMs(duration);
    if (durationMs === undefined) {
      throw new Problem(
        'spec.timeWindow[0].duration',
        'a rolling window needs a fixed length (m, h, d or w): months differ in length',
      );
    }
    return { rolling: true, duration, durationMs, text };
  }
  const calendar = object(window.calendar, 'spec.timeWindow[0].calendar');
  const startTime = requiredString(
    calendar.startTime,
    'spec.timeWindow[0].calendar.startTime',
  );
  const timeZone =
    optionalString(calendar.timeZone, 'spec.timeWindow[0].calendar.timeZone') ??
    'UTC';
  if (!['UTC', 'Etc/UTC', 'GMT'].includes(timeZone)) {
    throw new Problem(
      'spec.timeWindow[0].calendar.timeZone',
      'only UTC calendars are supported; give startTime in UTC',
    );
  }
  const anchor = Date.parse(`${startTime.replace(' ', 'T')}Z`);
  if (Number.isNaN(anchor)) {
    throw new Problem(
      'spec.timeWindow[0].calendar.startTime',
      'must be a date and time such as "2026-01-01 00:00:00"',
    );
  }
  return { rolling: false, duration, anchor, text };
}

function objectivesOf(
  value: unknown,
  method: BudgetingMethod,
  indicator: Indicator,
  window: SloWindow,
): Objective[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new Problem('spec.objectives', 'must list at least one objective');
  }
  return value.map((item, index) => {
    const field = `spec.objectives[${index}]`;
    const objective = object(item, field);
    const target =
      objective.targetPercent !== undefined
        ? ratio(
            typeof objective.targetPercent === 'number'
              ? objective.targetPercent / 100
              : objective.targetPercent,
            `${field}.targetPercent`,
          )
        : ratio(objective.target, `${field}.target`);
    const result: Objective = {
      name:
        optionalString(objective.displayName, `${field}.displayName`) ??
        `${(target * 100).toFixed(2).replace(/\.?0+$/, '')}%`,
      target,
    };
    if (method !== 'Occurrences') {
      const sliceText = requiredString(
        objective.timeSliceWindow,
        `${field}.timeSliceWindow`,
      );
      const slice = parseSloDuration(sliceText);
      const sliceMs = slice && fixedDurationMs(slice);
      // Counters need several samples per slice to show an increase; gauges need one.
      const shortest =
        indicator.kind === 'ratio' ? MIN_COUNT_BUCKET_MS : 60_000;
      if (!sliceMs || sliceMs < shortest) {
        throw new Problem(
          `${field}.timeSliceWindow`,
          `must be a duration of at least ${shortest / 60_000}m, e.g. 5m`,
        );
      }
      if (approximateLengthMs(window.duration) / sliceMs > MAX_SLICES) {
        throw new Problem(
          `${field}.timeSliceWindow`,
          `too fine for a ${window.text} window: at most ${MAX_SLICES} slices`,
        );
      }
      result.timeSliceWindowMs = sliceMs;
      if (indicator.kind === 'ratio' && method === 'Timeslices') {
        result.timeSliceTarget = ratio(
          objective.timeSliceTarget,
          `${field}.timeSliceTarget`,
        );
      }
    }
    if (indicator.kind === 'threshold') {
      if (method === 'Occurrences' || method === 'RatioTimeslices') {
        throw new Problem(
          'spec.budgetingMethod',
          'a thresholdMetric needs Timeslices',
        );
      }
      if (!OPERATORS.includes(objective.op as (typeof OPERATORS)[number])) {
        throw new Problem(
          `${field}.op`,
          `must be one of ${OPERATORS.join(', ')}`,
        );
      }
      if (
        typeof objective.value !== 'number' ||
        !Number.isFinite(objective.value)
      ) {
        throw new Problem(`${field}.value`, 'must be a number');
      }
      result.op = objective.op as Objective['op'];
      result.threshold = objective.value;
    }
    return result;
  });
}

function sloOf(
  doc: Json,
  file: string,
  slis: Map<string, Json>,
): SloDefinition {
  const metadata = object(doc.metadata, 'metadata');
  const name = requiredString(metadata.name, 'metadata.name');
  const spec = object(doc.spec, 'spec');
  let indicator: Indicator;
  if (spec.indicator !== undefined) {
    indicator = indicatorOf(
      object(
        object(spec.indicator, 'spec.indicator').spec,
        'spec.indicator.spec',
      ),
      'spec.indicator.spec',
    );
  } else if (spec.indicatorRef !== undefined) {
    const ref = requiredString(spec.indicatorRef, 'spec.indicatorRef');
    const sli = slis.get(ref);
    if (!sli)
      throw new Problem(
        'spec.indicatorRef',
        `no SLI named "${ref}" in the SLO files`,
      );
    indicator = indicatorOf(object(sli.spec, 'spec'), `SLI ${ref}: spec`);
  } else {
    throw new Problem('spec', 'needs an indicator or an indicatorRef');
  }
  const budgetingMethod = requiredString(
    spec.budgetingMethod,
    'spec.budgetingMethod',
  );
  if (!BUDGETING_METHODS.includes(budgetingMethod as BudgetingMethod)) {
    throw new Problem(
      'spec.budgetingMethod',
      `must be one of ${BUDGETING_METHODS.join(', ')}`,
    );
  }
  const method = budgetingMethod as BudgetingMethod;
  const annotations =
    metadata.annotations === undefined
      ? {}
      : object(metadata.annotations, 'metadata.annotations');
  const environmentLabel = optionalString(
    annotations[SLO_ENVIRONMENT_LABEL_ANNOTATION],
    `metadata.annotations.${SLO_ENVIRONMENT_LABEL_ANNOTATION}`,
  );
  if (environmentLabel !== undefined && !LABEL_NAME.test(environmentLabel)) {
    throw new Problem(
      `metadata.annotations.${SLO_ENVIRONMENT_LABEL_ANNOTATION}`,
      'must be a Prometheus label name',
    );
  }
  const sloWindow = windowOf(spec.timeWindow);
  return {
    name,
    displayName: optionalString(metadata.displayName, 'metadata.displayName'),
    description: optionalString(spec.description, 'spec.description'),
    service: optionalString(spec.service, 'spec.service'),
    file,
    indicator,
    window: sloWindow,
    budgetingMethod: method,
    objectives: objectivesOf(spec.objectives, method, indicator, sloWindow),
    environmentLabel,
  };
}

/**
 * The SLOs of a set of OpenSLO v1 files (`kind: SLO`, with inline or referenced `kind: SLI`),
 * and a problem for each document that is not valid: its file, line, field and reason. One
 * bad document never hides the others.
 */
export function parseOpenSlo(files: Array<{ path: string; content: string }>): {
  slos: SloDefinition[];
  problems: SloProblem[];
} {
  const problems: SloProblem[] = [];
  const documents: Array<{
    file: string;
    json: Json;
    line: (field: string) => number | undefined;
  }> = [];
  for (const { path, content } of files) {
    const lineCounter = new LineCounter();
    for (const doc of parseAllDocuments(content, { lineCounter })) {
      if (doc.errors.length) {
        const error = doc.errors[0];
        problems.push({
          file: path,
          line: error.linePos?.[0].line,
          message: `not valid YAML: ${error.message.split('\n')[0]}`,
        });
        continue;
      }
      let json;
      try {
        // Refuses alias bombs (aliases that expand without end) among others.
        json = doc.toJS({ maxAliasCount: 100 });
      } catch (error) {
        problems.push({
          file: path,
          message: `not usable YAML: ${(error as Error).message}`,
        });
        continue;
      }
      if (json === null || json === undefined) continue;
      // The line of a field: the deepest node along its path that the document has.
      const line = (field: string) => {
        const keys = field
          .split(/[.[\]]/)
          .filter(Boolean)
          .map(key => (/^\d+$/.test(key) ? Number(key) : key));
        for (let depth = keys.length; depth >= 0; depth--) {
          const node =
            depth === 0 ? doc.contents : doc.getIn(keys.slice(0, depth), true);
          const range = (node as { range?: number[] } | null | undefined)
            ?.range;
          if (range) return lineCounter.linePos(range[0]).line;
        }
        return undefined;
      };
      if (typeof json !== 'object' || Array.isArray(json)) {
        problems.push({
          file: path,
          line: line(''),
          message: 'a document must be a mapping',
        });
        continue;
      }
      documents.push({ file: path, json, line });
    }
  }

  const slis = new Map<string, Json>();
  for (const { json } of documents) {
    const name = (json.metadata as Json | undefined)?.name;
    if (
      json.apiVersion === 'openslo/v1' &&
      json.kind === 'SLI' &&
      typeof name === 'string'
    ) {
      slis.set(name, json);
    }
  }

  const slos: SloDefinition[] = [];
  const names = new Set<string>();
  for (const { file, json, line } of documents) {
    if (json.kind !== 'SLO') continue;
    try {
      if (json.apiVersion !== 'openslo/v1') {
        throw new Problem('apiVersion', 'must be openslo/v1');
      }
      const slo = sloOf(json, file, slis);
      if (names.has(slo.name)) {
        throw new Problem(
          'metadata.name',
          `another SLO is already named "${slo.name}"`,
        );
      }
      names.add(slo.name);
      slos.push(slo);
    } catch (error) {
      if (!(error instanceof Problem)) throw error;
      problems.push({
        file,
        line: line(error.field),
        field: error.field,
        message: error.message,
      });
    }
  }
  return { slos, problems };
}
