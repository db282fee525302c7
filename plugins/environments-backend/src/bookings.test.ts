import { mockCredentials } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import request from 'supertest';
import {
  createTestDatabases,
  supportedDatabases,
  TEST_DATABASE_IDS,
} from './__testUtils__/databases';
import {
  as,
  SentNotification,
  startBookingBackend,
  testEnvironment as environment,
  users,
} from './__testUtils__/bookingBackend';

jest.setTimeout(120_000);

const HOUR = 3600_000;
const DAY = 24 * HOUR;

const entities = [
  environment('qa-1'),
  environment('qa-2'),
  environment('qa-3'),
  environment('check-env'),
  environment('staging-1', { 'tem.dev/tier': 'staging' }),
  environment('staging-2', { 'tem.dev/tier': 'staging' }),
  environment('frozen', { 'tem.dev/tier': 'frozen-tier' }),
  environment('maintained'),
  environment('weekly'),
  environment('wl-env'),
  environment('audited'),
  environment('avail-1', { 'tem.dev/tier': 'avail' }),
  environment('slots', {
    'tem.dev/capacity': '3',
    'tem.dev/components': 'api, web',
  }),
  environment('avail-2', { 'tem.dev/tier': 'avail' }),
  environment('shared', { 'tem.dev/capacity': '2' }),
  environment('prod', { 'tem.dev/bookable': 'false' }),
];

const { alice, bob, carol, dave, admin } = users;

const iso = (ms: number) => new Date(ms).toISOString();

describe('bookings API', () => {
  const databases = createTestDatabases();

  it('runs on PostgreSQL 15 and SQLite', () => {
    expect(supportedDatabases(databases)).toEqual(TEST_DATABASE_IDS);
  });

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    let knex: Knex;
    let backend: Awaited<ReturnType<typeof startBookingBackend>>['backend'];
    let sent: SentNotification[];
    const base = Date.now() + 2 * DAY;
    const book = (user: string, body: Record<string, unknown>) =>
      request(backend.server)
        .post('/api/environments/bookings')
        .set('Authorization', as(user))
        .send({ title: 'Release test', purpose: 'testing', ...body });

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      ({ backend, sent } = await startBookingBackend({
        knex,
        entities,
        config: {
          environments: {
            bookingPolicies: {
              tiers: [
                {
                  tier: 'staging',
                  requiresApproval: true,
                  maxDurationHours: 8,
                  maxExtensions: 1,
                },
              ],
            },
          },
        },
      }));
    });
    afterAll(async () => {
      await backend.stop();
      await knex.destroy();
    });

    it('books a free slot and shows it on the environment', async () => {
      const start = Date.now() - 60_000;
      const res = await book(alice, {
        environmentRef: 'resource:default/qa-1',
        start: iso(start),
        end: iso(start + HOUR),
        reason: 'Regression run for release 42',
        externalLink: 'https://tickets.example.com/REL-42',
        teamRef: 'group:default/payments-team',
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        environmentRef: 'resource:default/qa-1',
        requesterRef: alice,
        teamRef: 'group:default/payments-team',
        status: 'approved',
        start: iso(start),
        end: iso(start + HOUR),
        extensionCount: 0,
      });

      const env = await request(backend.server)
        .get('/api/environments/environments/default/qa-1')
        .set('Authorization', as(bob));
      expect(env.body.currentBooking).toMatchObject({
        id: res.body.id,
        requesterRef: alice,
      });

      const mine = await request(backend.server)
        .get('/api/environments/bookings')
        .query({ requesterRef: 'me' })
        .set('Authorization', as(alice));
      expect(mine.body.items.map((b: { id: string }) => b.id)).toContain(
        res.body.id,
      );
      const page = (offset: number) =>
        request(backend.server)
          .get('/api/environments/bookings')
          .query({ requesterRef: 'me', limit: 1, offset })
          .set('Authorization', as(alice));
      expect((await page(0)).body.items).toEqual([mine.body.items[0]]);
      expect((await page(1)).body.items).toEqual(mine.body.items.slice(1, 2));
      expect((await page(-1)).status).toBe(400);
    });

    it('answers 409 naming the holder and the next free slot, and allows back-to-back', async () => {
      const held = await book(alice, {
        environmentRef: 'resource:default/qa-1',
        start: iso(base),
        end: iso(base + 2 * HOUR),
        title: 'Load test',
      });
      expect(held.status).toBe(201);

      const clash = await book(bob, {
        environmentRef: 'resource:default/qa-1',
        start: iso(base + HOUR),
        end: iso(base + 3 * HOUR),
      });
      expect(clash.status).toBe(409);
      expect(clash.body.error).toMatchObject({ name: 'ConflictError' });
      expect(clash.body.conflicts).toEqual([
        expect.objectContaining({
          id: held.body.id,
          requesterRef: alice,
          title: 'Load test',
        }),
      ]);
      expect(clash.body.nextFreeSlot).toEqual({
        start: iso(base + 2 * HOUR),
        end: iso(base + 4 * HOUR),
      });

      const backToBack = await book(bob, {
        environmentRef: 'resource:default/qa-1',
        start: iso(base + 2 * HOUR),
        end: iso(base + 3 * HOUR),
      });
      expect(backToBack.status).toBe(201);
    });

    it('lets capacity-many bookings share an environment', async () => {
      const slot = {
        environmentRef: 'resource:default/shared',
        start: iso(base),
        end: iso(base + HOUR),
      };
      expect((await book(alice, slot)).status).toBe(201);
      expect((await book(bob, slot)).status).toBe(201);
      expect((await book(carol, slot)).status).toBe(409);
    });

    it.each([
      [{ start: 'tomorrow' }, /start: must be an ISO 8601/],
      [
        { start: '2026-12-01T09:00:00' },
        /start: must be an ISO 8601 date-time with a time zone/,
      ],
      [{ end: 'EARLY' }, /end: must be an ISO 8601/],
      [{ end: 'SAME' }, /end: must be after start/],
      [{ end: 'BEFORE' }, /end: must be after start/],
      [{ end: 'TOO_LONG' }, /end: a booking may last at most 90 days/],
      [{ start: 'PAST', end: 'PAST_END' }, /start: must not be in the past/],
      [{ start: 'FAR', end: 'FAR_END' }, /start: must be within 365 days/],
      [{ title: '' }, /body.title: must NOT have fewer than 1 characters/],
      [
        { title: 'x'.repeat(201) },
        /body.title: must NOT have more than 200 characters/,
      ],
      [{ purpose: 'fun' }, /body.purpose: must be equal to one of the allowed/],
      [
        // eslint-disable-next-line no-script-url -- the hostile input under test
        { externalLink: 'javascript:alert(1)' },
        /externalLink: must be an http or https URL/,
      ],
      [
        { environmentRef: 'component:default/qa-1' },
        /environmentRef: must refer to a resource/,
      ],
      [
        { teamRef: 'group:default/search-team' },
        /teamRef: you are not a member/,
      ],
      [{ colour: 'blue' }, /body.colour: is not a known field/],
      [{ environmentRef: 'resource:default/prod' }, /cannot be booked/],
    ])('answers 400 for %j', async (override, message) => {
      const times: Record<string, string> = {
        EARLY: 'not-a-date',
        SAME: iso(base + 10 * DAY),
        BEFORE: iso(base + 10 * DAY - HOUR),
        TOO_LONG: iso(base + 10 * DAY + 91 * DAY),
        PAST: iso(Date.now() - HOUR),
        PAST_END: iso(Date.now()),
        FAR: iso(Date.now() + 400 * DAY),
        FAR_END: iso(Date.now() + 401 * DAY),
      };
      const body: Record<string, unknown> = {
        environmentRef: 'resource:default/qa-1',
        start: iso(base + 10 * DAY),
        end: iso(base + 10 * DAY + HOUR),
      };
      for (const [key, value] of Object.entries(override)) {
        body[key] =
          typeof value === 'string' && value in times ? times[value] : value;
      }
      const res = await book(alice, body);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(message);
    });

    it('answers 400 for a body that is not JSON, 404 for an unknown environment, 401 without a token', async () => {
      const garbled = await request(backend.server)
        .post('/api/environments/bookings')
        .set('Authorization', as(alice))
        .set('Content-Type', 'application/json')
        .send('{"title": ');
      expect(garbled.status).toBe(400);

      const missing = await book(alice, {
        environmentRef: 'resource:default/nowhere',
        start: iso(base),
        end: iso(base + HOUR),
      });
      expect(missing.status).toBe(404);

      const anonymous = await request(backend.server)
        .post('/api/environments/bookings')
        .send({ environmentRef: 'resource:default/qa-1' });
      expect(anonymous.status).toBe(401);
    });

    it('checks every request against the OpenAPI description and names the field', async () => {
      const get = (path: string) =>
        request(backend.server)
          .get(`/api/environments${path}`)
          .set('Authorization', as(alice));
      const post = (path: string, body: unknown) =>
        request(backend.server)
          .post(`/api/environments${path}`)
          .set('Authorization', as(alice))
          .send(body as object);
      const refusals: Array<[request.Test, RegExp]> = [
        [get('/bookings?colour=blue'), /colour/],
        [get('/bookings?status=pending,lost'), /query.status.1: must be equal/],
        [get('/bookings?limit=0'), /query.limit: must be >= 1/],
        [get('/bookings?limit=501'), /query.limit: must be <= 500/],
        [get('/bookings?offset=-1'), /query.offset: must be >= 0/],
        [get('/bookings?from=monday'), /query.from: must be an ISO 8601/],
        [get('/availability'), /required property 'durationHours'/],
        [get('/availability?durationHours=2161'), /durationHours: must be <=/],
        [get(`/bookings/${'x'.repeat(65)}`), /path.id: must NOT have more/],
        [post('/bookings/1/extend', { end: iso(base), by: 'me' }), /body.by/],
        [post('/bookings/1/approve', { note: 'n'.repeat(4001) }), /note/],
        [
          post('/booking-series', {
            environmentRef: 'resource:default/weekly',
            title: 'x',
            purpose: 'testing',
            start: iso(base),
            end: iso(base + HOUR),
          }),
          /required property 'rrule'/,
        ],
        [post('/blackouts', { scope: 'tier', scopeKey: 'qa' }), /title/],
        [
          post('/waitlist', {
            environmentRef: 5,
            title: 'x',
            purpose: 'testing',
            start: iso(base),
            end: iso(base + HOUR),
          }),
          /body.environmentRef: must be string/,
        ],
        [
          request(backend.server)
            .post('/api/environments/bookings')
            .set('Authorization', as(alice))
            .set('Content-Type', 'text/plain')
            .send('qa-1 please'),
          /must be JSON/,
        ],
      ];
      for (const [refusal, message] of refusals) {
        const res = await refusal;
        expect({
          status: res.status,
          message: res.body.error?.message,
        }).toEqual({ status: 400, message: expect.stringMatching(message) });
      }

      // Pipelines write refs and times as they are, unencoded.
      const raw = await get(
        '/environments/default/check-env/check?user=user:default/alice',
      );
      expect(raw.status).toBe(200);
      const rawTime = await get(
        `/bookings?environmentRef=resource:default/qa-1&from=2026-12-01T09:00:00Z`,
      );
      expect(rawTime.status).toBe(200);

      // Browsers' URLSearchParams encode the comma; both spellings are one list.
      for (const status of ['approved,pending', 'approved%2Cpending']) {
        const valid = await get(`/bookings?status=${status}&limit=5`);
        expect(valid.status).toBe(200);
      }
    });

    it('lets the requester and their team release or cancel, refuses others with 403', async () => {
      const now = Date.now();
      const running = await book(alice, {
        environmentRef: 'resource:default/qa-2',
        start: iso(now - 60_000),
        end: iso(now + HOUR),
        teamRef: 'group:default/payments-team',
      });
      expect(running.status).toBe(201);
      const target = running.body;

      const byBob = await request(backend.server)
        .post(`/api/environments/bookings/${target.id}/release`)
        .set('Authorization', as(bob));
      expect(byBob.status).toBe(403);

      const cancelRunning = await request(backend.server)
        .post(`/api/environments/bookings/${target.id}/cancel`)
        .set('Authorization', as(alice));
      expect(cancelRunning.status).toBe(409);
      expect(cancelRunning.body.error.message).toMatch(/release it instead/);

      const byTeammate = await request(backend.server)
        .post(`/api/environments/bookings/${target.id}/release`)
        .set('Authorization', as(carol));
      expect(byTeammate.status).toBe(200);
      expect(byTeammate.body.status).toBe('released');
      expect(new Date(byTeammate.body.end).getTime()).toBeLessThanOrEqual(
        Date.now(),
      );

      const again = await request(backend.server)
        .post(`/api/environments/bookings/${target.id}/release`)
        .set('Authorization', as(alice));
      expect(again.status).toBe(409);

      const future = await book(bob, {
        environmentRef: 'resource:default/qa-1',
        start: iso(base + 30 * DAY),
        end: iso(base + 30 * DAY + HOUR),
      });
      const cancelled = await request(backend.server)
        .post(`/api/environments/bookings/${future.body.id}/cancel`)
        .set('Authorization', as(bob));
      expect(cancelled.body.status).toBe('cancelled');
      // The slot is free again.
      const rebooked = await book(alice, {
        environmentRef: 'resource:default/qa-1',
        start: iso(base + 30 * DAY),
        end: iso(base + 30 * DAY + HOUR),
      });
      expect(rebooked.status).toBe(201);

      const unknown = await request(backend.server)
        .post('/api/environments/bookings/no-such-id/cancel')
        .set('Authorization', as(alice));
      expect(unknown.status).toBe(404);
    });

    it('extends a booking when the added time is free, and refuses otherwise', async () => {
      const start = base + 40 * DAY;
      const mine = await book(alice, {
        environmentRef: 'resource:default/qa-3',
        start: iso(start),
        end: iso(start + HOUR),
      });
      await book(bob, {
        environmentRef: 'resource:default/qa-3',
        start: iso(start + 2 * HOUR),
        end: iso(start + 3 * HOUR),
      });
      const extend = (user: string, end: unknown) =>
        request(backend.server)
          .post(`/api/environments/bookings/${mine.body.id}/extend`)
          .set('Authorization', as(user))
          .send({ end });

      expect((await extend(bob, iso(start + 2 * HOUR))).status).toBe(403);
      const clash = await extend(alice, iso(start + 2.5 * HOUR));
      expect(clash.status).toBe(409);
      expect(clash.body.conflicts).toEqual([
        expect.objectContaining({ requesterRef: bob }),
      ]);
      const notLater = await extend(alice, iso(start + HOUR));
      expect(notLater.status).toBe(400);
      expect(notLater.body.error.message).toMatch(
        /end: must be later than the current end/,
      );

      const extended = await extend(alice, iso(start + 2 * HOUR));
      expect(extended.status).toBe(200);
      expect(extended.body).toMatchObject({
        end: iso(start + 2 * HOUR),
        originalEnd: iso(start + HOUR),
        extensionCount: 1,
      });
    });

    it('answers the booking check for CI by user, team or the caller', async () => {
      const now = Date.now();
      await book(alice, {
        environmentRef: 'resource:default/check-env',
        start: iso(now - 60_000),
        end: iso(now + HOUR),
        teamRef: 'group:default/payments-team',
      });
      const check = (query: Record<string, string>, auth = as(bob)) =>
        request(backend.server)
          .get('/api/environments/environments/default/check-env/check')
          .query(query)
          .set('Authorization', auth);

      expect((await check({}, as(alice))).body).toMatchObject({
        holder: alice,
        held: true,
      });
      expect((await check({ user: bob })).body).toMatchObject({
        held: false,
        bookings: [],
      });
      expect(
        (await check({ team: 'group:default/payments-team' })).body.held,
      ).toBe(true);
      expect(
        (await check({ team: 'group:default/search-team' })).body.held,
      ).toBe(false);
      expect((await check({}, mockCredentials.service.header())).status).toBe(
        400,
      );
      expect(
        (await check({ user: alice, team: 'group:default/x' })).status,
      ).toBe(400);
      const unknown = await request(backend.server)
        .get('/api/environments/environments/default/nowhere/check')
        .set('Authorization', as(alice));
      expect(unknown.status).toBe(404);
    });

    it('sends bookings of approval environments to the owner group, who approve or reject', async () => {
      const slot = (env: string, offsetDays: number) => ({
        environmentRef: `resource:default/${env}`,
        start: iso(base + offsetDays * DAY),
        end: iso(base + offsetDays * DAY + 2 * HOUR),
      });
      const decide = (
        user: string,
        id: string,
        decision: string,
        note?: string,
      ) =>
        request(backend.server)
          .post(`/api/environments/bookings/${id}/${decision}`)
          .set('Authorization', as(user))
          .send(note ? { note } : {});

      const first = await book(alice, slot('staging-1', 1));
      expect(first.status).toBe(201);
      expect(first.body.status).toBe('pending');
      // Pending requests do not hold the environment: a second one for the same slot is taken.
      const second = await book(bob, slot('staging-1', 1));
      expect(second.body.status).toBe('pending');

      expect((await decide(alice, first.body.id, 'approve')).status).toBe(403);
      const approved = await decide(dave, first.body.id, 'approve', 'Go ahead');
      expect(approved.status).toBe(200);
      expect(approved.body).toMatchObject({
        status: 'approved',
        decidedByRef: dave,
        decisionNote: 'Go ahead',
      });
      expect((await decide(dave, first.body.id, 'approve')).status).toBe(409);
      // The slot is now held, so the competing request cannot be approved.
      const late = await decide(dave, second.body.id, 'approve');
      expect(late.status).toBe(409);
      expect(late.body.conflicts[0].id).toBe(first.body.id);
      const rejected = await decide(
        dave,
        second.body.id,
        'reject',
        'Slot taken',
      );
      expect(rejected.body).toMatchObject({
        status: 'rejected',
        decisionNote: 'Slot taken',
      });

      // Owners are approved at once; the tier's limits apply to everyone.
      const own = await book(dave, slot('staging-2', 2));
      expect(own.body.status).toBe('approved');
      const tooLong = await book(dave, {
        ...slot('staging-2', 3),
        end: iso(base + 3 * DAY + 9 * HOUR),
      });
      expect(tooLong.status).toBe(400);
      expect(tooLong.body.error.message).toMatch(/last at most 8 h/);

      const extend = (end: number) =>
        request(backend.server)
          .post(`/api/environments/bookings/${own.body.id}/extend`)
          .set('Authorization', as(dave))
          .send({ end: iso(end) });
      expect((await extend(base + 2 * DAY + 3 * HOUR)).status).toBe(200);
      const secondExtension = await extend(base + 2 * DAY + 4 * HOUR);
      expect(secondExtension.status).toBe(400);
      expect(secondExtension.body.error.message).toMatch(
        /may be extended 1 time/,
      );

      const env = await request(backend.server)
        .get('/api/environments/environments/default/staging-1')
        .set('Authorization', as(alice));
      expect(env.body.policy).toEqual({
        requiresApproval: true,
        maxDurationHours: 8,
        maxExtensions: 1,
      });
    });

    it('refuses bookings in blackouts unless overridden; maintenance shows as status', async () => {
      const window = (
        scope: string,
        scopeKey: string,
        kind: string,
        from: number,
        to: number,
      ) =>
        request(backend.server)
          .post('/api/environments/blackouts')
          .set('Authorization', as(admin))
          .send({
            scope,
            scopeKey,
            kind,
            title: `${kind} of ${scopeKey}`,
            start: iso(from),
            end: iso(to),
          });

      const forbidden = await request(backend.server)
        .post('/api/environments/blackouts')
        .set('Authorization', as(alice))
        .send({
          scope: 'tier',
          scopeKey: 'frozen-tier',
          title: 'x',
          start: iso(base),
          end: iso(base + HOUR),
        });
      expect(forbidden.status).toBe(403);
      const invalid = await window(
        'galaxy',
        'x',
        'blackout',
        base,
        base + HOUR,
      );
      expect(invalid.status).toBe(400);
      expect(invalid.body.error.message).toMatch(
        /scope: must be equal to one of the allowed values: environment, tier/,
      );

      const freeze = await window(
        'tier',
        'Frozen-Tier',
        'blackout',
        base,
        base + DAY,
      );
      expect(freeze.status).toBe(201);
      expect(freeze.body).toMatchObject({
        scope: 'tier',
        scopeKey: 'frozen-tier',
      });

      const slot = {
        environmentRef: 'resource:default/frozen',
        start: iso(base + HOUR),
        end: iso(base + 2 * HOUR),
      };
      const refused = await book(alice, slot);
      expect(refused.status).toBe(409);
      expect(refused.body.error.message).toMatch(
        /closed for blackout "blackout of Frozen-Tier"/,
      );
      expect((await book(admin, slot)).status).toBe(201);
      // Outside the window the environment books as usual.
      expect(
        (
          await book(alice, {
            ...slot,
            start: iso(base + DAY),
            end: iso(base + DAY + HOUR),
          })
        ).status,
      ).toBe(201);

      const now = Date.now();
      expect(
        (
          await window(
            'environment',
            'maintained',
            'maintenance',
            now - HOUR,
            now + HOUR,
          )
        ).status,
      ).toBe(201);
      const env = await request(backend.server)
        .get('/api/environments/environments/default/maintained')
        .set('Authorization', as(alice));
      expect(env.body.status).toBe('maintenance');

      const listed = await request(backend.server)
        .get('/api/environments/blackouts')
        .query({
          tier: 'frozen-tier',
          from: iso(base),
          to: iso(base + 2 * DAY),
        })
        .set('Authorization', as(alice));
      expect(listed.body.items.map((b: { id: string }) => b.id)).toEqual([
        freeze.body.id,
      ]);

      expect(
        (
          await request(backend.server)
            .delete(`/api/environments/blackouts/${freeze.body.id}`)
            .set('Authorization', as(alice))
        ).status,
      ).toBe(403);
      expect(
        (
          await request(backend.server)
            .delete(`/api/environments/blackouts/${freeze.body.id}`)
            .set('Authorization', as(admin))
        ).status,
      ).toBe(204);
      expect(
        (
          await request(backend.server)
            .delete(`/api/environments/blackouts/${freeze.body.id}`)
            .set('Authorization', as(admin))
        ).status,
      ).toBe(404);
      expect(
        (
          await book(alice, {
            ...slot,
            start: iso(base + 3 * HOUR),
            end: iso(base + 4 * HOUR),
          })
        ).status,
      ).toBe(201);
    });

    it('books a recurring series all or nothing, listing the taken occurrences', async () => {
      const start = base + 7 * DAY;
      const series = (user: string, rrule: unknown) =>
        request(backend.server)
          .post('/api/environments/booking-series')
          .set('Authorization', as(user))
          .send({
            environmentRef: 'resource:default/weekly',
            title: 'Weekly regression',
            purpose: 'testing',
            start: iso(start),
            end: iso(start + HOUR),
            rrule,
          });
      // Someone holds the third occurrence.
      const blocker = await book(bob, {
        environmentRef: 'resource:default/weekly',
        start: iso(start + 14 * DAY),
        end: iso(start + 14 * DAY + HOUR),
      });

      const refused = await series(alice, 'FREQ=WEEKLY;COUNT=4');
      expect(refused.status).toBe(409);
      expect(refused.body.takenOccurrences).toEqual([
        { start: iso(start + 14 * DAY), end: iso(start + 14 * DAY + HOUR) },
      ]);
      expect(refused.body.conflicts.map((b: { id: string }) => b.id)).toEqual([
        blocker.body.id,
      ]);
      const none = await request(backend.server)
        .get('/api/environments/bookings')
        .query({
          environmentRef: 'resource:default/weekly',
          requesterRef: alice,
        })
        .set('Authorization', as(alice));
      expect(none.body.items).toEqual([]);

      const accepted = await series(alice, 'FREQ=WEEKLY;COUNT=2');
      expect(accepted.status).toBe(201);
      expect(
        accepted.body.items.map((b: { start: string }) => b.start),
      ).toEqual([iso(start), iso(start + 7 * DAY)]);
      expect(
        new Set(
          accepted.body.items.map((b: { seriesId: string }) => b.seriesId),
        ),
      ).toEqual(new Set([accepted.body.seriesId]));

      const huge = await series(alice, 'FREQ=DAILY;COUNT=10000');
      expect(huge.status).toBe(400);
      expect(huge.body.error.message).toMatch(/at most 100 occurrences/);
    });

    it('queues waiters for a taken slot and hands it on when it frees up', async () => {
      const slot = {
        environmentRef: 'resource:default/wl-env',
        start: iso(base + 3 * HOUR),
        end: iso(base + 4 * HOUR),
      };
      const join = (user: string, body = slot) =>
        request(backend.server)
          .post('/api/environments/waitlist')
          .set('Authorization', as(user))
          .send({ title: 'Waiting', purpose: 'testing', ...body });
      const entries = async (user: string) =>
        (
          await request(backend.server)
            .get('/api/environments/waitlist')
            .query({ requesterRef: 'me' })
            .set('Authorization', as(user))
        ).body.items;
      const held = await book(alice, slot);

      const bobJoins = await join(bob);
      expect(bobJoins.status).toBe(201);
      expect(bobJoins.body).toMatchObject({ status: 'waiting', position: 1 });
      expect((await join(carol)).body.position).toBe(2);
      const free = await join(bob, {
        ...slot,
        start: iso(base + 5 * HOUR),
        end: iso(base + 6 * HOUR),
      });
      expect(free.status).toBe(409);
      expect(free.body.error.message).toMatch(/book it instead/);

      sent.length = 0;
      await request(backend.server)
        .post(`/api/environments/bookings/${held.body.id}/cancel`)
        .set('Authorization', as(alice));
      const [bobOffer] = await entries(bob);
      expect(bobOffer).toMatchObject({ status: 'offered' });
      expect(new Date(bobOffer.holdExpiresAt).getTime()).toBeGreaterThan(
        Date.now(),
      );
      expect(sent.map(n => n.recipients.entityRef)).toEqual([bob]);
      expect((await entries(carol))[0]).toMatchObject({
        status: 'waiting',
        position: 1,
      });
      // The hold keeps the slot for bob, even from the one who just cancelled.
      expect((await book(alice, slot)).status).toBe(409);

      const stolen = await request(backend.server)
        .post(`/api/environments/waitlist/${bobOffer.id}/claim`)
        .set('Authorization', as(carol));
      expect(stolen.status).toBe(403);
      const leave = await request(backend.server)
        .post(`/api/environments/waitlist/${bobOffer.id}/leave`)
        .set('Authorization', as(bob));
      expect(leave.status).toBe(204);

      const [carolOffer] = await entries(carol);
      expect(carolOffer.status).toBe('offered');
      const claimed = await request(backend.server)
        .post(`/api/environments/waitlist/${carolOffer.id}/claim`)
        .set('Authorization', as(carol));
      expect(claimed.status).toBe(201);
      expect(claimed.body).toMatchObject({
        requesterRef: carol,
        start: slot.start,
        end: slot.end,
      });
      expect((await entries(carol))[0]).toMatchObject({
        status: 'claimed',
        bookingId: claimed.body.id,
      });
    });

    it('records every change in the audit log, readable by admins only', async () => {
      const now = Date.now();
      const created = await book(alice, {
        environmentRef: 'resource:default/audited',
        start: iso(now - 60_000),
        end: iso(now + HOUR),
      });
      // The admin releases alice's booking for her: an audited override.
      await request(backend.server)
        .post(`/api/environments/bookings/${created.body.id}/release`)
        .set('Authorization', as(admin));

      expect(
        (
          await request(backend.server)
            .get('/api/environments/audit')
            .set('Authorization', as(alice))
        ).status,
      ).toBe(403);
      const log = await request(backend.server)
        .get('/api/environments/audit')
        .query({ environmentRef: 'resource:default/audited' })
        .set('Authorization', as(admin));
      expect(log.status).toBe(200);
      expect(
        log.body.items.map((e: any) => [e.action, e.actorRef, e.adminOverride]),
      ).toEqual([
        ['booking-release', admin, true],
        ['booking-create', alice, false],
      ]);
      const [release] = log.body.items;
      expect(release.before).toMatchObject({ status: 'approved' });
      expect(release.after).toMatchObject({ status: 'released' });
      const byAction = await request(backend.server)
        .get('/api/environments/audit')
        .query({ action: 'booking-release', actorRef: admin })
        .set('Authorization', as(admin));
      expect(
        byAction.body.items.every((e: any) => e.action === 'booking-release'),
      ).toBe(true);
    });

    it('finds free environments for a duration, and serves calendar feeds', async () => {
      const held = await book(alice, {
        environmentRef: 'resource:default/avail-1',
        start: iso(base),
        end: iso(base + 2 * DAY),
        teamRef: 'group:default/payments-team',
        title: 'Soak, part 1',
      });
      await book(bob, {
        environmentRef: 'resource:default/avail-2',
        start: iso(base + 12 * HOUR),
        end: iso(base + 13 * HOUR),
      });
      const search = await request(backend.server)
        .get('/api/environments/availability')
        .query({
          tier: 'avail',
          durationHours: 24,
          from: iso(base),
          to: iso(base + 5 * DAY),
        })
        .set('Authorization', as(carol));
      expect(search.status).toBe(200);
      expect(
        search.body.items.map((i: any) => [
          i.environment.name,
          i.slot.start,
          i.slot.end,
        ]),
      ).toEqual([
        ['avail-2', iso(base + 13 * HOUR), iso(base + 37 * HOUR)],
        ['avail-1', iso(base + 2 * DAY), iso(base + 3 * DAY)],
      ]);
      const missingDuration = await request(backend.server)
        .get('/api/environments/availability')
        .set('Authorization', as(carol));
      expect(missingDuration.status).toBe(400);

      const feed = await request(backend.server)
        .get('/api/environments/environments/default/avail-1/bookings.ics')
        .set('Authorization', as(carol));
      expect(feed.status).toBe(200);
      expect(feed.headers['content-type']).toMatch(/^text\/calendar/);
      expect(feed.text).toContain(`UID:${held.body.id}@environments`);
      expect(feed.text).toContain('SUMMARY:Soak\\, part 1');

      const teamFeed = await request(backend.server)
        .get('/api/environments/teams/default/payments-team/bookings.ics')
        .set('Authorization', as(carol));
      expect(teamFeed.text).toContain(`UID:${held.body.id}@environments`);
      const byTeam = await request(backend.server)
        .get('/api/environments/bookings')
        .query({ teamRef: 'group:default/payments-team' })
        .set('Authorization', as(carol));
      expect(byTeam.body.items.map((b: { id: string }) => b.id)).toContain(
        held.body.id,
      );
      expect(
        byTeam.body.items.every(
          (b: any) => b.teamRef === 'group:default/payments-team',
        ),
      ).toBe(true);
    });

    it('books single component slots of a shared environment', async () => {
      const slot = {
        environmentRef: 'resource:default/slots',
        start: iso(base),
        end: iso(base + HOUR),
      };
      const api = await book(alice, { ...slot, componentRef: 'api' });
      expect(api.status).toBe(201);
      expect(api.body.componentRef).toBe('component:default/api');

      const sameSlot = await book(bob, {
        ...slot,
        componentRef: 'component:default/api',
      });
      expect(sameSlot.status).toBe(409);
      expect(sameSlot.body.conflicts.map((b: { id: string }) => b.id)).toEqual([
        api.body.id,
      ]);
      expect(sameSlot.body.nextFreeSlot).toEqual({
        start: iso(base + HOUR),
        end: iso(base + 2 * HOUR),
      });

      expect((await book(bob, { ...slot, componentRef: 'web' })).status).toBe(
        201,
      );
      expect((await book(carol, slot)).status).toBe(201);
      // api, web and the whole-environment booking fill its three places.
      expect((await book(dave, slot)).status).toBe(409);

      const unknown = await book(alice, { ...slot, componentRef: 'db' });
      expect(unknown.status).toBe(400);
      expect(unknown.body.error.message).toMatch(
        /componentRef: component:default\/db is not a bookable component/,
      );

      const env = await request(backend.server)
        .get('/api/environments/environments/default/slots')
        .set('Authorization', as(alice));
      expect(env.body.componentSlots).toEqual([
        'component:default/api',
        'component:default/web',
      ]);
    });
  });
});
