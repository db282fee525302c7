import { parseOpenSlo } from './openslo';

const DAY = 24 * 3600_000;

const availability = `apiVersion: openslo/v1
kind: SLO
metadata:
  name: checkout-availability
  displayName: Checkout availability
  annotations:
    tem.dev/environment-label: env
spec:
  description: Checkout requests that do not fail
  service: checkout
  indicator:
    metadata:
      name: checkout-requests
    spec:
      ratioMetric:
        counter: true
        bad:
          metricSource:
            type: Prometheus
            spec:
              query: http_requests_total{job="checkout",code=~"5.."}
        total:
          metricSource:
            type: Prometheus
            spec:
              query: http_requests_total{job="checkout"}
  timeWindow:
    - duration: 30d
      isRolling: true
  budgetingMethod: Occurrences
  objectives:
    - displayName: Three nines
      target: 0.999
`;

const latency = `apiVersion: openslo/v1
kind: SLI
metadata:
  name: checkout-latency
spec:
  thresholdMetric:
    metricSource:
      type: prometheus
      spec:
        query: checkout_latency_p99_seconds{job="checkout"}
---
apiVersion: openslo/v1
kind: SLO
metadata:
  name: checkout-latency
spec:
  indicatorRef: checkout-latency
  timeWindow:
    - duration: 1M
      isRolling: false
      calendar:
        startTime: "2026-01-01 00:00:00"
        timeZone: UTC
  budgetingMethod: Timeslices
  objectives:
    - targetPercent: 95
      timeSliceWindow: 5m
      op: lte
      value: 0.3
`;

describe('parseOpenSlo', () => {
  it('reads a ratio SLO with an inline indicator and a rolling window', () => {
    const { slos, problems } = parseOpenSlo([
      { path: 'slo/checkout.yaml', content: availability },
    ]);
    expect(problems).toEqual([]);
    expect(slos).toEqual([
      {
        name: 'checkout-availability',
        displayName: 'Checkout availability',
        description: 'Checkout requests that do not fail',
        service: 'checkout',
        file: 'slo/checkout.yaml',
        indicator: {
          kind: 'ratio',
          good: undefined,
          bad: {
            sourceType: 'prometheus',
            query: 'http_requests_total{job="checkout",code=~"5.."}',
          },
          total: {
            sourceType: 'prometheus',
            query: 'http_requests_total{job="checkout"}',
          },
        },
        window: {
          rolling: true,
          duration: { count: 30, unit: 'd' },
          durationMs: 30 * DAY,
          text: '30d',
        },
        budgetingMethod: 'Occurrences',
        objectives: [{ name: 'Three nines', target: 0.999 }],
        environmentLabel: 'env',
      },
    ]);
  });

  it('reads a threshold SLO with a referenced SLI and a calendar month', () => {
    const { slos, problems } = parseOpenSlo([
      { path: 'slo/latency.yaml', content: latency },
    ]);
    expect(problems).toEqual([]);
    expect(slos[0]).toMatchObject({
      name: 'checkout-latency',
      indicator: {
        kind: 'threshold',
        metric: { query: 'checkout_latency_p99_seconds{job="checkout"}' },
      },
      window: {
        rolling: false,
        duration: { count: 1, unit: 'M' },
        anchor: Date.parse('2026-01-01T00:00:00Z'),
      },
      budgetingMethod: 'Timeslices',
      objectives: [
        {
          name: '95%',
          target: 0.95,
          timeSliceWindowMs: 5 * 60_000,
          op: 'lte',
          threshold: 0.3,
        },
      ],
    });
  });

  it.each([
    [
      'target: 0.999',
      'target: 1.5',
      'spec.objectives[0].target',
      33,
      /between 0 and 1/,
    ],
    [
      'duration: 30d',
      'duration: 30 days',
      'spec.timeWindow[0].duration',
      28,
      /not a duration/,
    ],
    [
      'duration: 30d',
      'duration: 1M',
      'spec.timeWindow[0].duration',
      28,
      /fixed length/,
    ],
    [
      'budgetingMethod: Occurrences',
      'budgetingMethod: Sometimes',
      'spec.budgetingMethod',
      30,
      /must be one of/,
    ],
    [
      'query: http_requests_total{job="checkout"}',
      'query: sum(rate(http_requests_total[5m]))',
      'spec.indicator.spec.ratioMetric.total.metricSource.spec.query',
      26,
      /metric selector/,
    ],
    [
      '        bad:',
      '        good:\n          x: 1\n        bad:',
      'spec.indicator.spec.ratioMetric.good.metricSource',
      18,
      /mapping/,
    ],
    [
      'counter: true',
      'counter: false',
      'spec.indicator.spec.ratioMetric.counter',
      16,
      /only counters/,
    ],
    [
      'tem.dev/environment-label: env',
      'tem.dev/environment-label: "env-name"',
      'metadata.annotations.tem.dev/environment-label',
      7,
      /label name/,
    ],
  ])(
    'names the file, line and field of a bad document (%s -> %s)',
    (from, to, field, line, message) => {
      const content = availability.replace(from, to);
      expect(content).not.toBe(availability);
      const { slos, problems } = parseOpenSlo([
        { path: 'slo/checkout.yaml', content },
      ]);
      expect(slos).toEqual([]);
      expect(problems).toEqual([
        {
          file: 'slo/checkout.yaml',
          line,
          field,
          message: expect.stringMatching(message),
        },
      ]);
    },
  );

  it('keeps the valid SLOs when others are broken, and reports YAML errors with their line', () => {
    const { slos, problems } = parseOpenSlo([
      { path: 'a.yaml', content: availability },
      { path: 'b.yaml', content: 'kind: SLO\nmetadata: [unclosed\n' },
      {
        path: 'c.yaml',
        content: latency.replace(
          'indicatorRef: checkout-latency',
          'indicatorRef: nowhere',
        ),
      },
      { path: 'd.yaml', content: availability },
    ]);
    expect(slos.map(s => s.name)).toEqual(['checkout-availability']);
    expect(problems).toEqual([
      {
        file: 'b.yaml',
        line: expect.any(Number),
        message: expect.stringMatching(/not valid YAML/),
      },
      {
        file: 'c.yaml',
        line: 17,
        field: 'spec.indicatorRef',
        message: 'no SLI named "nowhere" in the SLO files',
      },
      {
        file: 'd.yaml',
        line: 4,
        field: 'metadata.name',
        message: 'another SLO is already named "checkout-availability"',
      },
    ]);
  });

  it('refuses alias bombs and windows longer than a year', () => {
    const bomb = [
      'a: &a ["x","x","x","x","x","x","x","x","x"]',
      ...'bcdefghij'
        .split('')
        .map(
          (name, i) =>
            `${name}: &${name} [${Array(9)
              .fill(`*${'abcdefghij'[i]}`)
              .join(',')}]`,
        ),
    ].join('\n');
    const { problems } = parseOpenSlo([{ path: 'bomb.yaml', content: bomb }]);
    expect(problems).toEqual([
      { file: 'bomb.yaml', message: expect.stringMatching(/^not usable YAML/) },
    ]);
    const long = parseOpenSlo([
      {
        path: 'a.yaml',
        content: availability.replace('duration: 30d', 'duration: 99999w'),
      },
    ]);
    expect(long.problems[0]).toMatchObject({
      field: 'spec.timeWindow[0].duration',
      message: 'a window may be at most a year long',
    });
  });

  it('refuses threshold SLIs budgeted by occurrences and calendars outside UTC', () => {
    const occurrences = parseOpenSlo([
      { path: 'l.yaml', content: latency.replace('Timeslices', 'Occurrences') },
    ]);
    expect(occurrences.problems[0]).toMatchObject({
      field: 'spec.budgetingMethod',
      message: 'a thresholdMetric needs Timeslices',
    });
    const zoned = parseOpenSlo([
      {
        path: 'l.yaml',
        content: latency.replace('timeZone: UTC', 'timeZone: Europe/Paris'),
      },
    ]);
    expect(zoned.problems[0]).toMatchObject({
      field: 'spec.timeWindow[0].calendar.timeZone',
    });
  });
});
