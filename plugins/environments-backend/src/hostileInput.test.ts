import {
  BOOKING_PURPOSES,
  fullStretches,
} from '@internal/plugin-environments-common';
import fc from 'fast-check';
import { Knex } from 'knex';
import request from 'supertest';
import {
  createTestDatabases,
  supportedDatabases,
  TEST_DATABASE_IDS,
} from './__testUtils__/databases';
import {
  as,
  startBookingBackend,
  testEnvironment,
  users,
} from './__testUtils__/bookingBackend';
import { bookingInvariantViolations } from './__testUtils__/invariants';
import { toDate } from './database/dates';
import { mockCredentials } from '@backstage/backend-test-utils';

jest.setTimeout(600_000);

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const API = '/api/environments';
/** Runs per property and database: enough variety, and the file stays within ~2 minutes. */
const RUNS = 200;
// Repeatable runs: the same seed every time, printed with any counterexample;
// FAST_CHECK_SEED=<integer> explores other inputs.
fc.configureGlobal({ seed: Number(process.env.FAST_CHECK_SEED ?? 20261127) });

const entities = [
  // The valid-body property books these and checks each answer against the table.
  testEnvironment('fuzz-exclusive'),
  testEnvironment('fuzz-shared', {
    'tem.dev/capacity': '2',
    'tem.dev/components': 'api, web',
  }),
  // Everything else, valid or not, lands here; staging bookings wait for approval.
  testEnvironment('fuzz-any'),
  testEnvironment('fuzz-approval', { 'tem.dev/tier': 'staging' }),
  testEnvironment('fuzz-inject'),
  testEnvironment('fuzz-series'),
];
const config = {
  environments: {
    bookingPolicies: { tiers: [{ tier: 'staging', requiresApproval: true }] },
  },
};
const allUsers = Object.values(users);

const SQL_PAYLOADS = [
  "'; DROP TABLE bookings; --",
  '" OR 1=1 --',
  "x' OR '1'='1",
  'Robert"); DELETE FROM bookings WHERE ("1"="1',
];
const HTML_PAYLOADS = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '"><svg onload=alert(1)>',
  'data:text/html,<script>alert(1)</script>',
];
/** Line breaks that would start a new header or calendar property if written unescaped. */
const LINE_PAYLOADS = [
  'x\r\nATTENDEE:mailto:evil@example.com',
  'x\rEND:VEVENT',
  'x\nSet-Cookie: session=stolen',
];

// Strings a client can send: printable, any Unicode (NUL and lone surrogates too), attacks.
const anyString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    '../../../etc/passwd',
    ...SQL_PAYLOADS,
    ...HTML_PAYLOADS,
    ...LINE_PAYLOADS,
  ),
);
// Values of the wrong type, or numbers at the edges of what JSON can carry.
const wrongType = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 0, -1),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
  fc.object({ maxDepth: 1, maxKeys: 3 }),
);
const anyValue = fc.oneof(anyString, wrongType);
// Date-times that are malformed, impossible, zoneless, far away or simply anything.
const anyDateTime = fc.oneof(
  fc.constantFrom(
    '9999-12-31T23:59:59Z',
    '0000-01-01T00:00:00Z',
    '2026-02-30T10:00:00Z',
    '2026-13-01T00:00:00Z',
    '2026-12-01T09:00:00',
    '2026-12-01',
    '2026-12-01T09:00:00+25:00',
    '+275760-09-13T00:00:00.000Z',
  ),
  fc.date().map(d => (Number.isNaN(d.getTime()) ? 'Invalid' : d.toISOString())),
  anyValue,
);

/** A value of the right kind most of the time, anything else otherwise. */
const mostly = <T>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<unknown>) =>
  fc.oneof({ weight: 5, arbitrary: good }, { weight: 1, arbitrary: bad });

/** Fields a request body should not have, merged under the real ones. */
const extraFields = fc.dictionary(fc.string({ maxLength: 10 }), anyValue, {
  maxKeys: 2,
});

const withExtras = <T extends object>(body: fc.Arbitrary<T>) =>
  fc.oneof(
    { weight: 4, arbitrary: body },
    {
      weight: 1,
      arbitrary: fc
        .tuple(extraFields, body)
        .map(([extras, fields]) => ({ ...extras, ...fields })),
    },
  );

/** Any JSON a client could send as a body, or text that is not JSON at all. */
const anyBody = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }).map(json => ({ json })),
  fc.string({ maxLength: 30 }).map(raw => ({ raw })),
);

describe('hostile input', () => {
  const databases = createTestDatabases();

  it('runs on PostgreSQL 15 and SQLite', () => {
    expect(supportedDatabases(databases)).toEqual(TEST_DATABASE_IDS);
  });

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    let knex: Knex;
    let backend: Awaited<ReturnType<typeof startBookingBackend>>;
    // Ids of real bookings, waitlist entries and blackouts, for path parameters.
    const ids: string[] = [];
    const soon = () => Date.now() + DAY;

    /** Sends `body` (JSON, or raw text) to `path` as `user`. */
    function send(
      method: 'post' | 'put' | 'patch' | 'delete',
      path: string,
      user: string,
      body?: { json?: unknown; raw?: string },
    ) {
      const req = request(backend.server)
        [method](`${API}${path}`)
        .set('Authorization', as(user));
      if (!body) return req;
      return req
        .set('Content-Type', 'application/json')
        .send(body.raw ?? JSON.stringify(body.json) ?? '');
    }

    /**
     * The answer to any request: never a 5xx, and every 4xx carries Backstage's error shape with
     * a reason. Throws with the whole answer, so fast-check's counterexample shows it.
     */
    function expectWellFormed(res: request.Response) {
      const reason = res.body?.error?.message;
      const wellFormed =
        res.status < 400 ||
        (res.status < 500 &&
          typeof res.body?.error?.name === 'string' &&
          typeof reason === 'string' &&
          reason.trim() !== '');
      if (!wellFormed) {
        throw new Error(`Answered ${res.status}: ${res.text.slice(0, 500)}`);
      }
    }

    async function expectInvariants() {
      expect(await bookingInvariantViolations(knex)).toEqual([]);
    }

    const iso = (ms: number) => new Date(ms).toISOString();
    const bookingFields = (environment: string) => ({
      environmentRef: `resource:default/${environment}`,
      title: 'Fuzz target',
      purpose: 'testing',
    });

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      backend = await startBookingBackend({ knex, entities, config });
      // A pending, an approved and a waited-for booking, and a blackout, for the id pool.
      const at = soon() + 20 * DAY;
      for (const [user, environment, start] of [
        [users.alice, 'fuzz-approval', at],
        [users.alice, 'fuzz-any', at],
        [users.bob, 'fuzz-any', at + 2 * HOUR],
      ] as const) {
        const res = await send('post', '/bookings', user, {
          json: {
            ...bookingFields(environment),
            start: iso(start),
            end: iso(start + HOUR),
          },
        });
        ids.push(createdId(res));
      }
      const waiting = await send('post', '/waitlist', users.bob, {
        json: {
          ...bookingFields('fuzz-any'),
          start: iso(at),
          end: iso(at + HOUR),
        },
      });
      ids.push(createdId(waiting));
      const blackout = await send('post', '/blackouts', users.admin, {
        json: {
          scope: 'tier',
          scopeKey: 'fuzz-tier',
          title: 'Fuzz freeze',
          start: iso(at),
          end: iso(at + HOUR),
        },
      });
      ids.push(createdId(blackout));
    });

    afterAll(async () => {
      await backend?.backend.stop();
      await knex?.destroy();
    });

    // Bodies of POST /bookings and /waitlist: each field mostly right, else wrong; optional
    // fields may be missing (bodies without required fields come from anyBody).
    const newBookingBody = fc.record(
      {
        environmentRef: mostly(
          fc.constantFrom(
            'resource:default/fuzz-any',
            'fuzz-approval',
            'resource:default/nowhere',
            'component:default/api',
          ),
          anyValue,
        ),
        componentRef: mostly(
          fc.constantFrom('api', 'component:default/web'),
          anyValue,
        ),
        title: mostly(fc.string({ minLength: 1, maxLength: 200 }), anyValue),
        purpose: mostly(fc.constantFrom(...BOOKING_PURPOSES), anyValue),
        reason: mostly(fc.string({ maxLength: 100 }), anyValue),
        externalLink: mostly(fc.webUrl(), anyValue),
        teamRef: mostly(
          fc.constantFrom('group:default/payments-team', 'search-team'),
          anyValue,
        ),
        start: mostly(
          fc
            .integer({ min: -1, max: 20 })
            .map(days => iso(soon() + days * DAY)),
          anyDateTime,
        ),
        end: mostly(
          fc.integer({ min: 0, max: 22 }).map(days => iso(soon() + days * DAY)),
          anyDateTime,
        ),
      },
      {
        requiredKeys: ['environmentRef', 'title', 'purpose', 'start', 'end'],
      },
    );
    const pathId = fc.oneof(
      // Chained, so that it reads the ids once beforeAll has made them.
      fc.constant(ids).chain(made => fc.constantFrom(...made)),
      fc.uuid(),
      anyString.filter(
        id => id.length > 0 && id.length <= 80 && isEncodable(id),
      ),
    );
    const user = fc.constantFrom(...allUsers);
    const laterEnd = fc
      .integer({ min: -30, max: 200 })
      .map(days => iso(soon() + days * DAY));
    const rrule = mostly(
      fc.oneof(
        fc
          .tuple(
            fc.constantFrom('DAILY', 'WEEKLY', 'MONTHLY', 'HOURLY'),
            fc.integer({ min: 1, max: 150 }),
          )
          .map(([freq, count]) => `FREQ=${freq};COUNT=${count}`),
        fc.constantFrom(
          'FREQ=DAILY;COUNT=10000',
          'FREQ=WEEKLY;BYDAY=MO,WE;COUNT=4',
          'FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30;COUNT=1',
          'FREQ=DAILY;UNTIL=99991231T000000Z',
          'FREQ=WEEKLY',
        ),
      ),
      anyValue,
    );
    const blackoutBody = fc.record(
      {
        scope: mostly(fc.constantFrom('environment', 'tier'), anyValue),
        scopeKey: mostly(
          fc.constantFrom('fuzz-tier', 'resource:default/nowhere', ' '),
          anyValue,
        ),
        kind: mostly(fc.constantFrom('blackout', 'maintenance'), anyValue),
        title: mostly(fc.string({ minLength: 1, maxLength: 200 }), anyValue),
        reason: mostly(fc.string({ maxLength: 100 }), anyValue),
        start: mostly(laterEnd, anyDateTime),
        end: mostly(laterEnd, anyDateTime),
        rrule,
      },
      { requiredKeys: [] },
    );
    const adminReason = mostly(fc.constantFrom('Incident 42', ' '), anyValue);
    /** A body for an endpoint: mostly shaped like its schema, sometimes anything at all. */
    const bodyOf = (shape: fc.Arbitrary<object>) =>
      fc.oneof(
        { weight: 3, arbitrary: withExtras(shape).map(json => ({ json })) },
        { weight: 1, arbitrary: anyBody },
      );
    const optionalBody = fc.option(anyBody, { nil: undefined });

    interface FuzzedRequest {
      method: 'post' | 'put' | 'patch' | 'delete';
      path: string;
      caller: string;
      body?: { json?: unknown; raw?: string };
    }
    const onId =
      (method: FuzzedRequest['method'], action: string) =>
      (body: fc.Arbitrary<FuzzedRequest['body']>) =>
        fc
          .record({ caller: user, id: pathId, body })
          .map(({ caller, id, body: sent }) => ({
            method,
            path: action.replace(':id', encodeURIComponent(id)),
            caller,
            body: sent,
          }));
    const onPath = (path: string, body: fc.Arbitrary<FuzzedRequest['body']>) =>
      fc.record({ caller: user, body }).map(({ caller, body: sent }) => ({
        method: 'post' as const,
        path,
        caller,
        body: sent,
      }));

    // Every write endpoint with generated bodies and path parameters.
    const writeEndpoints: Array<[string, fc.Arbitrary<FuzzedRequest>]> = [
      ['POST /bookings', onPath('/bookings', bodyOf(newBookingBody))],
      [
        'POST /booking-series',
        onPath(
          '/booking-series',
          bodyOf(
            fc
              .tuple(newBookingBody, fc.option(rrule, { nil: undefined }))
              .map(([fields, rule]) => ({ ...fields, rrule: rule })),
          ),
        ),
      ],
      [
        'POST /bookings/:id/extend',
        onId(
          'post',
          '/bookings/:id/extend',
        )(
          bodyOf(
            fc.record(
              { end: mostly(laterEnd, anyDateTime) },
              { requiredKeys: [] },
            ),
          ),
        ),
      ],
      ...(['approve', 'reject'] as const).map(
        decision =>
          [
            `POST /bookings/:id/${decision}`,
            onId(
              'post',
              `/bookings/:id/${decision}`,
            )(
              fc.option(
                bodyOf(
                  fc.record(
                    { note: mostly(anyString, anyValue) },
                    { requiredKeys: [] },
                  ),
                ),
                { nil: undefined },
              ),
            ),
          ] as [string, fc.Arbitrary<FuzzedRequest>],
      ),
      ...[
        '/bookings/:id/release',
        '/bookings/:id/cancel',
        '/bookings/:id/keep',
        '/waitlist/:id/leave',
        '/waitlist/:id/claim',
      ].map(
        path =>
          [`POST ${path}`, onId('post', path)(optionalBody)] as [
            string,
            fc.Arbitrary<FuzzedRequest>,
          ],
      ),
      ['POST /waitlist', onPath('/waitlist', bodyOf(newBookingBody))],
      ['POST /blackouts', onPath('/blackouts', bodyOf(blackoutBody))],
      [
        'PUT /blackouts/:id',
        onId('put', '/blackouts/:id')(bodyOf(blackoutBody)),
      ],
      ['DELETE /blackouts/:id', onId('delete', '/blackouts/:id')(optionalBody)],
      [
        'POST /bookings/:id/force-release',
        onId(
          'post',
          '/bookings/:id/force-release',
        )(bodyOf(fc.record({ reason: adminReason }, { requiredKeys: [] }))),
      ],
      [
        'POST /bookings/:id/reassign',
        onId(
          'post',
          '/bookings/:id/reassign',
        )(
          bodyOf(
            fc.record(
              {
                requesterRef: mostly(
                  fc.constantFrom('bob', 'user:default/carol', 'group:x/y'),
                  anyValue,
                ),
                teamRef: mostly(
                  fc.constantFrom('search-team', 'group:default/nowhere'),
                  anyValue,
                ),
                reason: adminReason,
              },
              { requiredKeys: [] },
            ),
          ),
        ),
      ],
      [
        'POST /pipelines/runs/:provider/:runId/rerun',
        fc
          .record({
            caller: user,
            provider: fc.oneof(fc.constantFrom('github', 'jenkins'), anyString),
            runId: fc.oneof(fc.constantFrom('1', '42'), anyString),
            body: bodyOf(
              fc.record(
                {
                  entityRef: mostly(
                    fc.constantFrom('component:default/api', 'nowhere'),
                    anyValue,
                  ),
                },
                { requiredKeys: [] },
              ),
            ),
          })
          .filter(
            ({ provider, runId }) =>
              provider.length > 0 &&
              runId.length > 0 &&
              isEncodable(provider) &&
              isEncodable(runId),
          )
          .map(({ caller, provider, runId, body }) => ({
            method: 'post' as const,
            path: `/pipelines/runs/${encodeURIComponent(
              provider,
            )}/${encodeURIComponent(runId)}/rerun`,
            caller,
            body,
          })),
      ],
    ];

    // Write endpoints take no query parameters; now and then a request carries some anyway.
    const queryString = fc.oneof(
      { weight: 4, arbitrary: fc.constant('') },
      {
        weight: 1,
        arbitrary: fc
          .dictionary(
            fc.oneof(
              fc.constantFrom('limit', 'entityRef', 'status', '__proto__'),
              fc.string({ maxLength: 8 }),
            ),
            anyString,
            { minKeys: 1, maxKeys: 3 },
          )
          .map(params => `?${new URLSearchParams(params)}`),
      },
    );

    it.each(writeEndpoints)(
      'answers %s with a 2xx or a reasoned 4xx, whatever it is sent, and the bookings stay consistent',
      async (_name, fuzzedRequest) => {
        const statuses = new Set<number>();
        await fc.assert(
          fc.asyncProperty(
            fuzzedRequest,
            queryString,
            async ({ method, path, caller, body }, query) => {
              const res = await send(method, `${path}${query}`, caller, body);
              statuses.add(res.status);
              expectWellFormed(res);
            },
          ),
          { numRuns: RUNS },
        );
        // The generated requests reach the validation.
        expect(statuses).toContain(400);
        await expectInvariants();
      },
    );

    // Reads take filters from the query string: the same holds for them.
    const refValue = fc.constantFrom(
      'resource:default/fuzz-any',
      'group:default/payments-team',
      'user:default/alice',
      'component:default/api',
      'me',
      'nowhere',
    );
    const dateValue = fc.oneof(
      fc.integer({ min: -400, max: 400 }).map(days => iso(soon() + days * DAY)),
      fc.constantFrom('9999-12-31T23:59:59Z', '0000-01-01T00:00:00Z'),
    );
    const numberValue = fc.oneof(
      fc.integer({ min: -10, max: 3000 }).map(String),
      fc.constantFrom('0.5', '1e308', 'NaN', '-0', '2160', '2160.1'),
    );
    const readEndpoints: Array<[string, Record<string, fc.Arbitrary<string>>]> =
      [
        [
          '/bookings',
          {
            environmentRef: refValue,
            entityRef: refValue,
            teamRef: refValue,
            requesterRef: refValue,
            from: dateValue,
            to: dateValue,
            status: fc.constantFrom('pending,approved', 'approved', 'nope'),
            limit: numberValue,
            offset: numberValue,
          },
        ],
        [
          // The one required parameter, so that some searches run.
          '/availability?durationHours=2',
          {
            durationHours: numberValue,
            from: dateValue,
            to: dateValue,
            tier: fc.constantFrom('test', 'staging'),
            systemRef: refValue,
            entityRef: refValue,
          },
        ],
        [
          '/blackouts',
          {
            environmentRef: refValue,
            tier: fc.constantFrom('fuzz-tier', 'test'),
            from: dateValue,
            to: dateValue,
          },
        ],
        [
          '/audit',
          {
            environmentRef: refValue,
            actorRef: refValue,
            action: fc.constantFrom('booking-create', 'blackout-delete'),
            from: dateValue,
            to: dateValue,
            limit: numberValue,
            offset: numberValue,
          },
        ],
        [
          '/audit.csv',
          {
            environmentRef: refValue,
            actorRef: refValue,
            action: fc.constantFrom('booking-create', 'blackout-update'),
            from: dateValue,
            to: dateValue,
          },
        ],
        [
          '/waitlist',
          {
            environmentRef: refValue,
            requesterRef: refValue,
            status: fc.constantFrom('waiting', 'waiting,offered', 'nope'),
          },
        ],
        ...['/analytics/usage', '/analytics/usage.csv'].map(
          path =>
            [
              path,
              {
                from: dateValue,
                to: dateValue,
                tier: fc.constantFrom('test', 'TEST', 'fuzz-tier'),
                environmentRef: refValue,
              },
            ] as [string, Record<string, fc.Arbitrary<string>>],
        ),
        ['/environments', { entityRef: refValue }],
        [
          '/environments/default/fuzz-any/check',
          { user: refValue, team: refValue },
        ],
      ];

    it.each(readEndpoints)(
      'answers GET %s with a 200 or a reasoned 4xx, whatever the query string',
      async (path, parameters) => {
        const query = fc.dictionary(
          fc.oneof(
            {
              weight: 4,
              arbitrary: fc.constantFrom(...Object.keys(parameters)),
            },
            { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
          ),
          fc.oneof(
            { weight: 3, arbitrary: fc.oneof(...Object.values(parameters)) },
            { weight: 1, arbitrary: anyString },
          ),
          { maxKeys: 4 },
        );
        const caller = fc.oneof(
          user.map(as),
          fc.constant(mockCredentials.service.header()),
        );
        const statuses = new Set<number>();
        await fc.assert(
          fc.asyncProperty(query, caller, async (params, authorization) => {
            const res = await request(backend.server)
              .get(
                `${API}${path}${
                  path.includes('?') ? '&' : '?'
                }${new URLSearchParams(params)}`,
              )
              .set('Authorization', authorization);
            statuses.add(res.status);
            expectWellFormed(res);
          }),
          { numRuns: RUNS },
        );
        expect(statuses).toContain(200);
        expect(statuses).toContain(400);
      },
    );

    /** Whether approved bookings leave no room for `[start, end)` (in the slot, if one). */
    async function isTaken(
      environment: { ref: string; capacity: number },
      wanted: { start: number; end: number; componentRef?: string },
    ) {
      const rows: Array<{
        starts_at: Date | string | number;
        ends_at: Date | string | number;
        component_ref: string | null;
      }> = await knex('bookings')
        .where({ environment_ref: environment.ref, status: 'approved' })
        .select('starts_at', 'ends_at', 'component_ref');
      const held = rows.map(row => ({
        start: toDate(row.starts_at).getTime(),
        end: toDate(row.ends_at).getTime(),
        componentRef: row.component_ref ?? undefined,
      }));
      const meets = (interval: { start: number; end: number }) =>
        interval.start < wanted.end && wanted.start < interval.end;
      return (
        fullStretches(held, environment.capacity).some(meets) ||
        (wanted.componentRef !== undefined &&
          held.some(h => h.componentRef === wanted.componentRef && meets(h)))
      );
    }

    it('accepts every valid booking on a free slot, refuses it with 409 exactly when the slot is taken, and stores it as sent', async () => {
      const environments = [
        { ref: 'resource:default/fuzz-exclusive', capacity: 1, slots: [] },
        {
          ref: 'resource:default/fuzz-shared',
          capacity: 2,
          slots: ['component:default/api', 'component:default/web'],
        },
      ];
      // Any text the API allows, in any script, and the attacks too.
      const text = (maxLength: number) =>
        fc.oneof(
          fc.string({ maxLength }),
          fc.string({ unit: 'grapheme', maxLength: Math.min(maxLength, 50) }),
          fc
            .string({ unit: 'binary', maxLength })
            .map(t => t.replaceAll('\u0000', '')),
          fc.constantFrom(...SQL_PAYLOADS, ...HTML_PAYLOADS),
          // At the limit, counted in characters as JSON Schema counts them.
          fc
            .constantFrom('x', '\u{1F600}', '\u00e9')
            .map(c => c.repeat(maxLength)),
        );
      const validBooking = fc.record({
        environment: fc.constantFrom(...environments),
        slot: fc.constantFrom(undefined, 0, 1),
        // Whole hours in the next 30 days, so that bookings meet and collide often.
        startHour: fc.integer({ min: 0, max: 30 * 24 }),
        hours: fc.integer({ min: 1, max: 48 }),
        title: text(200).filter(t => t.trim() !== ''),
        purpose: fc.constantFrom(...BOOKING_PURPOSES),
        reason: fc.option(text(4000), { nil: undefined }),
        externalLink: fc.option(fc.webUrl({ withQueryParameters: true }), {
          nil: undefined,
        }),
        teamRef: fc.constantFrom(undefined, 'group:default/payments-team'),
      });
      const outcomes = { created: 0, conflicts: 0 };
      const base = soon();
      await fc.assert(
        fc.asyncProperty(validBooking, async booking => {
          const start = base + booking.startHour * HOUR;
          const end = start + booking.hours * HOUR;
          const componentRef =
            booking.slot === undefined
              ? undefined
              : booking.environment.slots[booking.slot];
          const body = {
            environmentRef: booking.environment.ref,
            componentRef,
            title: booking.title,
            purpose: booking.purpose,
            reason: booking.reason,
            externalLink: booking.externalLink,
            teamRef: booking.teamRef,
            start: iso(start),
            end: iso(end),
          };
          const taken = await isTaken(booking.environment, {
            start,
            end,
            componentRef,
          });
          const res = await send('post', '/bookings', users.alice, {
            json: body,
          });
          expectWellFormed(res);
          const stored =
            res.status === 201
              ? storedFields(
                  (
                    await request(backend.server)
                      .get(`${API}/bookings/${res.body.id}`)
                      .set('Authorization', as(users.bob))
                  ).body,
                )
              : undefined;
          outcomes[taken ? 'conflicts' : 'created'] += 1;
          // A 409 names who holds the time; a booking is stored and returned as text, exactly
          // as sent (the title without outer blanks).
          expect({
            status: res.status,
            namesConflicts: (res.body.conflicts?.length ?? 0) > 0,
            stored,
          }).toEqual(
            taken
              ? { status: 409, namesConflicts: true, stored: undefined }
              : {
                  status: 201,
                  namesConflicts: false,
                  stored: {
                    status: 'approved',
                    title: booking.title.trim(),
                    reason: booking.reason || undefined,
                    externalLink: booking.externalLink,
                    componentRef,
                    start: iso(start),
                    end: iso(end),
                  },
                },
          );
        }),
        { numRuns: 2 * RUNS },
      );
      // Both branches of the property were exercised.
      expect(outcomes.created).toBeGreaterThan(10);
      expect(outcomes.conflicts).toBeGreaterThan(10);
      await expectInvariants();
    });

    it('books every valid series whose occurrences are all free, and otherwise names exactly the taken ones with 409', async () => {
      const environment = { ref: 'resource:default/fuzz-series', capacity: 1 };
      const validSeries = fc.record({
        freq: fc.constantFrom('DAILY', 'WEEKLY'),
        interval: fc.integer({ min: 1, max: 3 }),
        count: fc.integer({ min: 1, max: 8 }),
        startHour: fc.integer({ min: 0, max: 30 * 24 }),
        hours: fc.integer({ min: 1, max: 24 }),
        title: fc.string({ minLength: 1, maxLength: 200 }),
      });
      const outcomes = { created: 0, conflicts: 0 };
      const base = soon();
      await fc.assert(
        fc.asyncProperty(validSeries, async series => {
          const title = series.title.trim() || 'Series';
          const period =
            (series.freq === 'DAILY' ? 1 : 7) * DAY * series.interval;
          const occurrences = Array.from({ length: series.count }, (_, k) => {
            const start = base + series.startHour * HOUR + k * period;
            return { start, end: start + series.hours * HOUR };
          });
          const taken: Array<{ start: string; end: string }> = [];
          for (const occurrence of occurrences) {
            if (await isTaken(environment, occurrence)) {
              taken.push({
                start: iso(occurrence.start),
                end: iso(occurrence.end),
              });
            }
          }
          const res = await send('post', '/booking-series', users.alice, {
            json: {
              environmentRef: environment.ref,
              title,
              purpose: 'testing',
              start: iso(occurrences[0].start),
              end: iso(occurrences[0].end),
              rrule: `FREQ=${series.freq};INTERVAL=${series.interval};COUNT=${series.count}`,
            },
          });
          expectWellFormed(res);
          outcomes[taken.length ? 'conflicts' : 'created'] += 1;
          const booked = (res.body.items ?? []).map(
            (item: { start: string; end: string; title: string }) => [
              item.start,
              item.end,
              item.title,
            ],
          );
          // A single taken occurrence is named by the conflict itself, as for one booking.
          const namedTaken =
            series.count === 1 && taken.length === 1
              ? taken
              : res.body.takenOccurrences;
          expect({ status: res.status, booked, taken: namedTaken }).toEqual(
            taken.length
              ? { status: 409, booked: [], taken }
              : {
                  status: 201,
                  booked: occurrences.map(o => [
                    iso(o.start),
                    iso(o.end),
                    title,
                  ]),
                  taken: undefined,
                },
          );
        }),
        { numRuns: RUNS },
      );
      expect(outcomes.created).toBeGreaterThan(5);
      expect(outcomes.conflicts).toBeGreaterThan(5);
      await expectInvariants();
    });

    it('accepts every valid blackout from an admin and stores it as sent', async () => {
      const validBlackout = fc.record({
        tier: fc.string({ minLength: 1, maxLength: 60 }),
        kind: fc.constantFrom('blackout', 'maintenance'),
        title: fc.oneof(
          fc.string({ minLength: 1, maxLength: 200 }),
          fc.constantFrom(...SQL_PAYLOADS, ...HTML_PAYLOADS, ...LINE_PAYLOADS),
        ),
        reason: fc.option(fc.string({ unit: 'grapheme', maxLength: 100 }), {
          nil: undefined,
        }),
        startDay: fc.integer({ min: 0, max: 365 }),
        hours: fc.integer({ min: 1, max: 365 * 24 }),
      });
      await fc.assert(
        fc.asyncProperty(
          validBlackout.filter(b => b.title.trim() !== ''),
          async blackout => {
            const start = Date.now() + blackout.startDay * DAY;
            // Tiers of their own, so that no blackout closes the environments booked above.
            const tier = `bo-${blackout.tier}`;
            const res = await send('post', '/blackouts', users.admin, {
              json: {
                scope: 'tier',
                scopeKey: tier,
                kind: blackout.kind,
                title: blackout.title,
                reason: blackout.reason,
                start: iso(start),
                end: iso(start + blackout.hours * HOUR),
              },
            });
            expectWellFormed(res);
            const { scopeKey, kind, title, reason } = res.body;
            expect({
              status: res.status,
              scopeKey,
              kind,
              title,
              reason,
            }).toEqual({
              status: 201,
              scopeKey: tier.trim().toLocaleLowerCase('en-US'),
              kind: blackout.kind,
              title: blackout.title.trim(),
              reason: blackout.reason || undefined,
            });
          },
        ),
        { numRuns: RUNS },
      );
    });

    it('stores SQL, HTML and line-break payloads in every text field as sent, or refuses them with 400, and the tables stay intact', async () => {
      const tables = ['bookings', 'blackouts', 'waitlist', 'audit_events'];
      const countRows = async () =>
        Object.fromEntries(
          await Promise.all(
            tables.map(async table => [
              table,
              Number((await knex(table).count({ n: '*' }))[0].n),
            ]),
          ),
        );
      const before = await countRows();
      const payloads = [...SQL_PAYLOADS, ...HTML_PAYLOADS, ...LINE_PAYLOADS];
      const created = { bookings: 0, blackouts: 0, waitlist: 0 };
      const base = soon() + 40 * DAY;
      for (const [index, payload] of payloads.entries()) {
        const start = base + index * DAY;
        const slot = { start: iso(start), end: iso(start + HOUR) };
        const booked = await send('post', '/bookings', users.alice, {
          json: {
            ...bookingFields('fuzz-inject'),
            ...slot,
            title: payload,
            reason: payload,
            externalLink: `https://tickets.example.com/?q=${encodeURIComponent(
              payload,
            )}`,
          },
        });
        expect(booked.status).toBe(201);
        created.bookings += 1;
        const read = await request(backend.server)
          .get(`${API}/bookings/${booked.body.id}`)
          .set('Authorization', as(users.bob));
        expect(read.body.title).toBe(payload.trim());
        expect(read.body.reason).toBe(payload);

        // A link must be an http(s) URL without line breaks: the payload itself is none.
        const badLink = await send('post', '/bookings', users.alice, {
          json: {
            ...bookingFields('fuzz-inject'),
            ...slot,
            externalLink: payload,
          },
        });
        expect(badLink.status).toBe(400);
        expect(badLink.body.error.message).toMatch(/^externalLink: /);
        const smuggled = await send('post', '/bookings', users.alice, {
          json: {
            ...bookingFields('fuzz-inject'),
            ...slot,
            externalLink: `https://tickets.example.com/${payload}`,
          },
        });
        expect(smuggled.status).toBe(/\s/.test(payload) ? 400 : 409);

        const waiting = await send('post', '/waitlist', users.bob, {
          json: { ...bookingFields('fuzz-inject'), ...slot, title: payload },
        });
        expect(waiting.status).toBe(201);
        expect(waiting.body.title).toBe(payload.trim());
        created.waitlist += 1;

        const pending = await send('post', '/bookings', users.alice, {
          json: { ...bookingFields('fuzz-approval'), ...slot },
        });
        expect(pending.body.status).toBe('pending');
        created.bookings += 1;
        const rejected = await send(
          'post',
          `/bookings/${pending.body.id}/reject`,
          users.dave,
          { json: { note: payload } },
        );
        expect(rejected.status).toBe(200);
        expect(rejected.body.decisionNote).toBe(payload);

        const blackout = await send('post', '/blackouts', users.admin, {
          json: {
            scope: 'tier',
            scopeKey: payload,
            title: payload,
            reason: payload,
            ...slot,
          },
        });
        expect(blackout.status).toBe(201);
        expect(blackout.body).toMatchObject({
          scopeKey: payload.trim().toLocaleLowerCase('en-US'),
          title: payload.trim(),
          reason: payload,
        });
        created.blackouts += 1;
      }
      const after = await countRows();
      expect(after.bookings).toBe(before.bookings + created.bookings);
      expect(after.blackouts).toBe(before.blackouts + created.blackouts);
      expect(after.waitlist).toBe(before.waitlist + created.waitlist);
      expect(after.audit_events).toBeGreaterThan(before.audit_events);
      await expectInvariants();
    });

    it('writes user text into calendar feeds as text: it starts no header and no calendar property', async () => {
      const feed = await request(backend.server)
        .get(`${API}/environments/default/fuzz-inject/bookings.ics`)
        .set('Authorization', as(users.bob));
      expect(feed.status).toBe(200);
      expect(feed.headers['content-type']).toBe('text/calendar; charset=utf-8');
      expect(feed.headers['set-cookie']).toBeUndefined();
      expect(feed.text).not.toMatch(/\r(?!\n)|(?<!\r)\n/);
      const lines = feed.text.replace(/\r\n /g, '').split('\r\n');
      const events = lines.filter(line => line === 'BEGIN:VEVENT').length;
      expect(events).toBe(
        SQL_PAYLOADS.length + HTML_PAYLOADS.length + LINE_PAYLOADS.length,
      );
      expect(
        lines.filter(line => /^(ATTENDEE|Set-Cookie)/i.test(line)),
      ).toEqual([]);
      expect(lines.filter(line => line === 'END:VEVENT')).toHaveLength(events);

      // A group name with a line break, from the path, names the team's calendar.
      const team = await request(backend.server)
        .get(`${API}/teams/default/x%0D%0ASet-Cookie:%20a=b/bookings.ics`)
        .set('Authorization', as(users.bob));
      expect(team.status).toBe(200);
      expect(team.headers['set-cookie']).toBeUndefined();
      expect(team.text).toContain(
        'X-WR-CALNAME:Bookings of x\\nSet-Cookie: a=b\r\n',
      );
    });

    it('refuses text, series and dates beyond the limits of the API spec with 400 and the reason, at once', async () => {
      const start = soon() + 5 * DAY;
      const booking = {
        ...bookingFields('fuzz-any'),
        start: iso(start),
        end: iso(start + HOUR),
      };
      const cases: Array<[string, string, object, RegExp]> = [
        [
          '/bookings',
          users.alice,
          { ...booking, title: 'x'.repeat(201) },
          /^body\.title: /,
        ],
        [
          '/bookings',
          users.alice,
          { ...booking, title: 'x'.repeat(20_000) },
          /^body\.title: /,
        ],
        [
          '/bookings',
          users.alice,
          { ...booking, reason: 'x'.repeat(4001) },
          /^body\.reason: /,
        ],
        [
          '/bookings',
          users.alice,
          { ...booking, externalLink: `https://x.example/${'a'.repeat(2049)}` },
          /^body\.externalLink: /,
        ],
        [
          '/bookings',
          users.alice,
          {
            ...booking,
            start: '9999-12-01T09:00:00Z',
            end: '9999-12-01T10:00:00Z',
          },
          /^start: must be within 365 days/,
        ],
        [
          '/bookings',
          users.alice,
          { ...booking, end: '9999-12-01T10:00:00Z' },
          /^end: a booking may last at most 90 days/,
        ],
        [
          '/booking-series',
          users.alice,
          { ...booking, rrule: 'FREQ=DAILY;COUNT=10000' },
          /^rrule: a series may have at most 100 occurrences/,
        ],
        [
          '/booking-series',
          users.alice,
          { ...booking, rrule: 'FREQ=HOURLY;UNTIL=99991231T000000Z' },
          /^rrule: a series may have at most 100 occurrences/,
        ],
        [
          '/booking-series',
          users.alice,
          {
            ...booking,
            rrule: 'FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=30;COUNT=1',
          },
          /^rrule: BYMONTH, BYMONTHDAY not supported/,
        ],
        [
          '/booking-series',
          users.alice,
          { ...booking, rrule: `FREQ=DAILY;COUNT=2;${'X'.repeat(1024)}` },
          /^body\.rrule: /,
        ],
        [
          '/blackouts',
          users.admin,
          {
            scope: 'tier',
            scopeKey: 'fuzz-tier',
            title: 'Far away',
            start: '9999-01-01T00:00:00Z',
            end: '9999-01-02T00:00:00Z',
          },
          /^start: must be within 365 days/,
        ],
        [
          `/bookings/${ids[1]}/extend`,
          users.alice,
          { end: '9999-12-01T10:00:00Z' },
          /^end: a booking may last at most 90 days/,
        ],
        [
          `/bookings/${ids[0]}/approve`,
          users.dave,
          { note: 'x'.repeat(4001) },
          /^body\.note: /,
        ],
      ];
      for (const [path, caller, body, reason] of cases) {
        const started = Date.now();
        const res = await send('post', path, caller, { json: body });
        expect({
          path,
          status: res.status,
          reason: res.body.error?.message,
        }).toEqual({
          path,
          status: 400,
          reason: expect.stringMatching(reason),
        });
        expect(Date.now() - started).toBeLessThan(2000);
      }
    });

    // PostgreSQL refuses text with NUL ("invalid byte sequence"): such a request was a 500 there.
    it('refuses NUL characters in paths, queries and bodies with 400, on reads too', async () => {
      const get = (path: string) =>
        request(backend.server)
          .get(`${API}${path}`)
          .set('Authorization', as(users.bob));
      const answers = [
        await send('post', '/bookings/%00/approve', users.dave, { json: {} }),
        await send('delete', '/blackouts/a%00b', users.admin),
        await get('/bookings?environmentRef=resource:default/qa%00'),
        await get('/blackouts?tier=staging%00'),
        await get('/audit?action=%00'),
        await send('post', '/blackouts', users.admin, {
          json: {
            scope: 'tier',
            scopeKey: 'fuzz-tier',
            title: 'Freeze\u0000',
            start: iso(soon()),
            end: iso(soon() + HOUR),
          },
        }),
      ];
      expect(answers.map(res => [res.status, res.body.error?.message])).toEqual(
        [
          [400, 'path: must not contain NUL characters'],
          [400, 'path: must not contain NUL characters'],
          [400, 'query.environmentRef: must not contain NUL characters'],
          [400, 'query.tier: must not contain NUL characters'],
          [400, 'query.action: must not contain NUL characters'],
          [400, 'body.title: must not contain NUL characters'],
        ],
      );
    });

    it('answers bodies that are deeply nested, not JSON, or of another media type with a reasoned 4xx', async () => {
      const depth = 20_000;
      const answers = [
        await send('post', '/bookings', users.alice, {
          raw: `${'['.repeat(depth)}${']'.repeat(depth)}`,
        }),
        await send('post', '/bookings', users.alice, {
          raw: `{"title":${'{"a":'.repeat(depth / 2)}1${'}'.repeat(
            depth / 2,
          )}}`,
        }),
        await send('post', '/bookings', users.alice, { raw: '{"title":' }),
        await request(backend.server)
          .post(`${API}/bookings`)
          .set('Authorization', as(users.alice))
          .type('form')
          .send({ title: 'x' }),
        await request(backend.server)
          .post(`${API}/bookings`)
          .set('Authorization', as(users.alice))
          .set('Content-Type', 'text/plain')
          .send('title=x'),
        await request(backend.server)
          .post(`${API}/bookings`)
          .set('Authorization', as(users.alice))
          .set('Content-Type', 'application/json; charset=utf-16')
          .send('{}'),
        await request(backend.server)
          .post(`${API}/bookings/%E0%A4%A/cancel`)
          .set('Authorization', as(users.alice)),
        // A route without a body in the spec: the NUL check still walks all of the nest.
        await send('post', '/bookings/no-such-booking/cancel', users.alice, {
          raw: `${'['.repeat(depth)}"\\u0000"${']'.repeat(depth)}`,
        }),
      ];
      for (const res of answers) expectWellFormed(res);
      expect(answers[7].body.error.message).toBe(
        'body.0: must not contain NUL characters',
      );
      expect(answers.map(res => res.status)).toEqual([
        400, 400, 400, 400, 400, 400, 400, 400,
      ]);
    });

    it('answers a body over the size limit with 413 and the reason', async () => {
      const res = await send('post', '/bookings', users.alice, {
        json: { ...bookingFields('fuzz-any'), title: 'x'.repeat(1024 * 1024) },
      });
      expect(res.status).toBe(413);
      expect(res.body.error.message).toMatch(/too large/i);
    });

    // The administration writes, last: the ones that succeed change the policies and the state
    // of the fuzz environments that the properties above book under.
    const limit = (max: number) =>
      mostly(
        fc.oneof(
          fc.integer({ min: -1, max: max + 1 }),
          fc.double({ min: -1, max: max + 1, noNaN: true }),
        ),
        anyValue,
      );
    const policyBody = fc.record(
      {
        policy: mostly(
          fc.record(
            {
              maxDurationHours: limit(2160),
              maxAdvanceDays: limit(365),
              minNoticeMinutes: limit(525600),
              maxExtensions: limit(1000),
              requiresApproval: mostly(fc.boolean(), anyValue),
              idleReleaseHours: limit(2160),
            },
            { requiredKeys: [] },
          ),
          anyValue,
        ),
        reason: adminReason,
      },
      { requiredKeys: [] },
    );
    const stateBody = fc.record(
      {
        status: mostly(
          fc.constantFrom('available', 'maintenance', 'retired'),
          anyValue,
        ),
        bookable: mostly(fc.constantFrom(true, false, null), anyValue),
        capacity: mostly(
          fc.oneof(fc.integer({ min: -1, max: 1001 }), fc.constant(null)),
          anyValue,
        ),
        componentSlots: mostly(
          fc.oneof(
            fc.array(
              fc.constantFrom('api', 'component:default/web', 'group:x/y', ''),
              { maxLength: 3 },
            ),
            fc.constant(null),
          ),
          anyValue,
        ),
        reason: adminReason,
      },
      { requiredKeys: [] },
    );
    // Path segments: known tiers and environments, unknown ones, and anything encodable.
    const segment = (...known: string[]) =>
      fc.oneof(
        fc.constantFrom(...known),
        anyString.filter(
          value => value.length > 0 && value.length <= 80 && isEncodable(value),
        ),
      );
    const policyPaths = fc.oneof(
      fc.constant('/admin/policies/global'),
      segment('test', 'staging', 'nowhere').map(
        tier => `/admin/policies/tiers/${encodeURIComponent(tier)}`,
      ),
      segment('fuzz-any', 'nowhere').map(
        name =>
          `/admin/policies/environments/default/${encodeURIComponent(name)}`,
      ),
    );
    const adminEndpoints: Array<[string, fc.Arbitrary<FuzzedRequest>]> = [
      [
        'PUT /admin/policies/...',
        fc
          .record({ caller: user, path: policyPaths, body: bodyOf(policyBody) })
          .map(fields => ({ method: 'put' as const, ...fields })),
      ],
      [
        'DELETE /admin/policies/...',
        fc
          .record({ caller: user, path: policyPaths, body: optionalBody })
          .map(fields => ({ method: 'delete' as const, ...fields })),
      ],
      [
        'PATCH /admin/environments/:namespace/:name',
        fc
          .record({
            caller: user,
            name: segment('fuzz-any', 'nowhere'),
            body: bodyOf(stateBody),
          })
          .map(({ caller, name, body }) => ({
            method: 'patch' as const,
            path: `/admin/environments/default/${encodeURIComponent(name)}`,
            caller,
            body,
          })),
      ],
    ];

    it.each(adminEndpoints)(
      'answers %s with a 2xx or a reasoned 4xx, whatever it is sent',
      async (_name, fuzzedRequest) => {
        const statuses = new Set<number>();
        await fc.assert(
          fc.asyncProperty(
            fuzzedRequest,
            async ({ method, path, caller, body }) => {
              const res = await send(method, path, caller, body);
              statuses.add(res.status);
              expectWellFormed(res);
            },
          ),
          { numRuns: RUNS },
        );
        expect(statuses).toContain(400);
        await expectInvariants();
      },
    );
  });
});

/** What a booking's answer says of the request's fields. */
function storedFields(booking: Record<string, unknown>) {
  const { status, title, reason, externalLink, componentRef, start, end } =
    booking;
  return { status, title, reason, externalLink, componentRef, start, end };
}

/** The id of what a request made; the setup stops at the first request that failed. */
function createdId(res: request.Response): string {
  if (res.status !== 201) {
    throw new Error(`Setup request answered ${res.status}: ${res.text}`);
  }
  return res.body.id;
}

/** Whether a string can travel in a URL path (lone surrogates cannot). */
function isEncodable(value: string): boolean {
  try {
    encodeURIComponent(value);
    return true;
  } catch {
    return false;
  }
}
