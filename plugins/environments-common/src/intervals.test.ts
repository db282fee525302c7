import {
  capacityConflicts,
  fullStretches,
  nextFreeSlot,
  overlaps,
  slotConflicts,
} from './intervals';

const h = (start: number, end: number, id = `${start}-${end}`) => ({
  start,
  end,
  id,
});

describe('overlaps', () => {
  it.each([
    [h(0, 10), h(5, 15), true],
    [h(0, 10), h(2, 3), true],
    [h(0, 10), h(0, 10), true],
    [h(0, 10), h(10, 20), false],
    [h(10, 20), h(0, 10), false],
    [h(0, 10), h(11, 20), false],
  ])('%j and %j: %p', (a, b, expected) => {
    expect(overlaps(a, b)).toBe(expected);
    expect(overlaps(b, a)).toBe(expected);
  });
});

describe('capacityConflicts', () => {
  it('lets back-to-back bookings through on an exclusive resource', () => {
    expect(capacityConflicts([h(0, 10), h(20, 30)], h(10, 20), 1)).toEqual([]);
  });

  it('names every overlapping booking on an exclusive resource', () => {
    const held = [h(0, 10), h(15, 25), h(30, 40)];
    expect(capacityConflicts(held, h(5, 20), 1)).toEqual([h(0, 10), h(15, 25)]);
  });

  it('allows up to capacity concurrent bookings', () => {
    expect(capacityConflicts([h(0, 10)], h(0, 10), 2)).toEqual([]);
    expect(capacityConflicts([h(0, 10), h(5, 15)], h(8, 12), 2)).toEqual([
      h(0, 10),
      h(5, 15),
    ]);
  });

  it('counts concurrency, not overlaps: two disjoint holders leave room on capacity 2', () => {
    expect(capacityConflicts([h(0, 10), h(10, 20)], h(0, 20), 2)).toEqual([]);
  });

  it('reports only the bookings at the saturated instants', () => {
    // Capacity 2: [0,10) and [5,15) saturate [5,10); [30,40) overlaps the request but has room.
    const held = [h(0, 10), h(5, 15), h(30, 40)];
    expect(capacityConflicts(held, h(0, 35), 2)).toEqual([h(0, 10), h(5, 15)]);
  });
});

describe('nextFreeSlot', () => {
  it('is the requested start when it is free', () => {
    expect(nextFreeSlot([h(20, 30)], 0, 10, 1, 1000)).toEqual({
      start: 0,
      end: 10,
    });
  });

  it('is the end of the blocking booking, skipping gaps too short', () => {
    const held = [h(0, 10), h(15, 30)];
    expect(nextFreeSlot(held, 5, 10, 1, 1000)).toEqual({ start: 30, end: 40 });
  });

  it('uses a gap that is exactly long enough', () => {
    expect(nextFreeSlot([h(0, 10), h(20, 30)], 0, 10, 1, 1000)).toEqual({
      start: 10,
      end: 20,
    });
  });

  it('respects capacity', () => {
    const held = [h(0, 10), h(0, 20)];
    expect(nextFreeSlot(held, 0, 5, 2, 1000)).toEqual({ start: 10, end: 15 });
  });

  it('gives up past the search horizon', () => {
    expect(nextFreeSlot([h(0, 100)], 0, 10, 1, 50)).toBeUndefined();
  });

  it('ignores empty and inverted intervals, and finds no room without capacity', () => {
    expect(nextFreeSlot([h(5, 5), h(30, 20)], 0, 40, 1, 1000)).toEqual({
      start: 0,
      end: 40,
    });
    expect(nextFreeSlot([], 0, 10, 0, 1000)).toBeUndefined();
  });

  it('keeps a component slot exclusive while the environment has room', () => {
    const held = [
      { start: 0, end: 10, componentRef: 'component:default/api' },
      { start: 0, end: 30, componentRef: 'component:default/web' },
    ];
    expect(nextFreeSlot(held, 0, 5, 3, 1000, 'component:default/api')).toEqual({
      start: 10,
      end: 15,
    });
    expect(nextFreeSlot(held, 0, 5, 2, 1000)).toEqual({ start: 10, end: 15 });
  });

  it('agrees with checking every candidate start by slotConflicts', () => {
    // The search skips from stretch to stretch; the plain definition tries each start at which
    // a slot can open. Seeded so a failure replays.
    let seed = 42;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const components = [
      undefined,
      'component:default/a',
      'component:default/b',
    ];
    for (let round = 0; round < 500; round++) {
      const held = Array.from({ length: random(12) }, () => {
        const start = random(200);
        return {
          start,
          end: start + 1 + random(40),
          componentRef: components[random(3)],
        };
      });
      const from = random(100);
      const duration = 1 + random(30);
      const capacity = 1 + random(3);
      const horizon = from + random(200);
      const componentRef = components[random(3)];
      const expected = [from, ...held.map(x => x.end).filter(end => end > from)]
        .sort((a, b) => a - b)
        .filter(start => start <= horizon)
        .find(
          start =>
            slotConflicts(
              held,
              { start, end: start + duration, componentRef },
              capacity,
            ).length === 0,
        );
      expect(
        nextFreeSlot(held, from, duration, capacity, horizon, componentRef),
      ).toEqual(
        expected === undefined
          ? undefined
          : { start: expected, end: expected + duration },
      );
    }
  });
});

describe('fullStretches', () => {
  it('joins back-to-back full stretches and skips room left by capacity', () => {
    expect(fullStretches([h(0, 10), h(10, 20), h(30, 40)], 1)).toEqual([
      { start: 0, end: 10 },
      { start: 10, end: 20 },
      { start: 30, end: 40 },
    ]);
    expect(fullStretches([h(0, 10), h(5, 20), h(30, 40)], 2)).toEqual([
      { start: 5, end: 10 },
    ]);
  });
});

describe('slotConflicts', () => {
  const c = (start: number, end: number, componentRef?: string) => ({
    start,
    end,
    componentRef,
  });

  it('lets different component slots of a shared environment overlap', () => {
    expect(
      slotConflicts(
        [c(0, 10, 'component:default/api')],
        c(0, 10, 'component:default/web'),
        3,
      ),
    ).toEqual([]);
  });

  it('keeps one component slot exclusive even when the environment has room', () => {
    const held = [c(0, 10, 'component:default/api')];
    expect(slotConflicts(held, c(5, 15, 'component:default/api'), 3)).toEqual(
      held,
    );
  });

  it('counts component bookings against the environment capacity', () => {
    const held = [c(0, 10, 'component:default/api'), c(0, 10)];
    expect(slotConflicts(held, c(0, 10, 'component:default/web'), 2)).toEqual(
      held,
    );
  });

  it('finds the next free time of a component slot', () => {
    const held = [
      c(0, 10, 'component:default/api'),
      c(0, 30, 'component:default/web'),
    ];
    expect(nextFreeSlot(held, 0, 5, 3, 100, 'component:default/api')).toEqual({
      start: 10,
      end: 15,
    });
  });
});
