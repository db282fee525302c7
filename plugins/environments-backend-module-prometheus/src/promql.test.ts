import { countQuery, withLabels, worstQuery } from './promql';

describe('withLabels', () => {
  it('adds matchers to a selector with or without braces', () => {
    expect(withLabels('up', { env: 'qa' })).toBe('up{env="qa"}');
    expect(
      withLabels('http_requests_total{job="checkout"}', { env: 'qa' }),
    ).toBe('http_requests_total{job="checkout",env="qa"}');
    expect(withLabels('{__name__="up",}', { env: 'qa', zone: 'a' })).toBe(
      '{__name__="up",env="qa",zone="a"}',
    );
    expect(withLabels('up{}', { env: 'qa' })).toBe('up{env="qa"}');
    expect(withLabels('up{job="x"}', {})).toBe('up{job="x"}');
  });

  it('escapes label values so they cannot change the query', () => {
    expect(withLabels('up', { env: 'qa"} or vector(1) #\\' })).toBe(
      'up{env="qa\\"} or vector(1) #\\\\"}',
    );
  });
});

describe('queries', () => {
  it('counts events per bucket and takes the worst value per slice', () => {
    expect(countQuery('http_requests_total{job="x"}', 300)).toBe(
      'sum(increase(http_requests_total{job="x"}[300s]))',
    );
    expect(worstQuery('latency_seconds', 60, 'max')).toBe(
      'max(max_over_time(latency_seconds[60s]))',
    );
  });
});
