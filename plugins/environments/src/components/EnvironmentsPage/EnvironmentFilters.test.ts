import { booking, qa1, staging } from '../fixtures';
import { applyFilters, NO_FILTERS } from './EnvironmentFilters';

describe('applyFilters', () => {
  const held = {
    ...qa1,
    entityRef: 'resource:default/qa-2',
    name: 'qa-2',
    currentBooking: booking,
  };
  const all = [qa1, staging, held];

  it('keeps everything without filters', () => {
    expect(applyFilters(all, NO_FILTERS)).toEqual(all);
  });

  it('narrows by tier, system and owner', () => {
    expect(applyFilters(all, { ...NO_FILTERS, tier: 'staging' })).toEqual([
      staging,
    ]);
    expect(
      applyFilters(all, {
        ...NO_FILTERS,
        systemRef: 'system:default/checkout',
      }),
    ).toEqual([qa1, held]);
    expect(
      applyFilters(all, { ...NO_FILTERS, ownerRef: 'group:default/nobody' }),
    ).toEqual([]);
  });

  it('keeps only bookable, available, unheld environments for free now', () => {
    expect(applyFilters(all, { ...NO_FILTERS, freeNow: true })).toEqual([qa1]);
  });
});
