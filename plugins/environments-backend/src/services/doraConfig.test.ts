import { ConfigReader } from '@backstage/config';
import { readDoraSettings } from './doraConfig';

const read = (environments: object) =>
  readDoraSettings(new ConfigReader({ environments }));

describe('readDoraSettings', () => {
  it('defaults to a day, every signal and 90 days of SLO history', () => {
    expect(read({})).toEqual({
      changeFailure: {
        windowHours: 24,
        signals: ['failed-deployment', 'rollback', 'slo-fast-burn'],
      },
      sloHistoryRetentionDays: 90,
    });
  });

  it('reads the configured window, signals and retention', () => {
    expect(
      read({
        dora: {
          changeFailure: { windowHours: 6, signals: ['rollback', 'rollback'] },
        },
        sloHistory: { retentionDays: 30 },
      }),
    ).toEqual({
      changeFailure: { windowHours: 6, signals: ['rollback'] },
      sloHistoryRetentionDays: 30,
    });
  });

  it('refuses unknown signals and windows that are not positive', () => {
    expect(() =>
      read({ dora: { changeFailure: { signals: ['incident'] } } }),
    ).toThrow(
      'environments.dora.changeFailure.signals: unknown incident; use failed-deployment, rollback, slo-fast-burn',
    );
    expect(() => read({ dora: { changeFailure: { windowHours: 0 } } })).toThrow(
      'windowHours must be a positive number, not 0',
    );
    expect(() => read({ sloHistory: { retentionDays: -1 } })).toThrow(
      'retentionDays must be a positive number',
    );
  });
});
