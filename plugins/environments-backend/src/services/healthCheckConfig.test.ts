import { ConfigReader } from '@backstage/config';
import { readHealthCheckSettings } from './healthCheckConfig';

const everyMinute = { frequency: { minutes: 1 }, timeout: { seconds: 50 } };
const config = (healthChecks: object = {}) =>
  new ConfigReader({ environments: { healthChecks } });

describe('readHealthCheckSettings', () => {
  it('has defaults, unknown after three missed intervals', () => {
    expect(readHealthCheckSettings(new ConfigReader({}), everyMinute)).toEqual({
      enabled: true,
      timeoutMs: 5000,
      slowMs: 2000,
      staleAfterMs: 3 * 60_000,
      retentionDays: 30,
      concurrency: 8,
    });
    expect(
      readHealthCheckSettings(config(), {
        ...everyMinute,
        frequency: { minutes: 5 },
      }).staleAfterMs,
    ).toBe(15 * 60_000);
  });

  it('takes a staleness of its own for a cron schedule, 15 minutes unless set', () => {
    const cron = { ...everyMinute, frequency: { cron: '*/2 * * * *' } };
    expect(readHealthCheckSettings(config(), cron).staleAfterMs).toBe(
      15 * 60_000,
    );
    expect(
      readHealthCheckSettings(config({ staleAfterMinutes: 7 }), cron)
        .staleAfterMs,
    ).toBe(7 * 60_000);
  });

  it('can be switched off', () => {
    expect(
      readHealthCheckSettings(config({ enabled: false }), everyMinute).enabled,
    ).toBe(false);
  });

  it('reads the configured values and refuses ones that are not positive', () => {
    expect(
      readHealthCheckSettings(
        config({
          timeoutMs: 1000,
          slowMs: 500,
          retentionDays: 7,
          concurrency: 2,
        }),
        everyMinute,
      ),
    ).toMatchObject({
      timeoutMs: 1000,
      slowMs: 500,
      retentionDays: 7,
      concurrency: 2,
    });
    expect(() =>
      readHealthCheckSettings(config({ timeoutMs: 0 }), everyMinute),
    ).toThrow('environments.healthChecks.timeoutMs must be a positive number');
    expect(() =>
      readHealthCheckSettings(config({ retentionDays: -1 }), everyMinute),
    ).toThrow('retentionDays');
  });
});
