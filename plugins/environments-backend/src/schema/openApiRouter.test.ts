import { BOOKING_LIMITS } from '../domain/bookings';
import { createRouter } from '../router';
import { spec } from './openapi/generated/spec';
import { toInputError } from './openApiRouter';

describe('the OpenAPI description', () => {
  it('documents exactly the routes the router serves, so none escapes validation', () => {
    const router = createRouter({} as Parameters<typeof createRouter>[0]);
    const served = router.stack
      .filter((layer: any) => layer.route)
      .flatMap((layer: any) =>
        Object.keys(layer.route.methods).map(
          method => `${method} ${layer.route.path}`,
        ),
      )
      .sort();
    const documented = Object.entries(spec.paths)
      .flatMap(([path, item]) =>
        Object.keys(item).map(
          method => `${method} ${path.replace(/\{(\w+)\}/g, ':$1')}`,
        ),
      )
      .sort();
    expect(served).toEqual(documented);
  });

  it('states the same limits the booking rules enforce', () => {
    const { NewBooking, NewBookingSeries } = spec.components.schemas;
    for (const schema of [NewBooking, NewBookingSeries]) {
      expect(schema.properties.title.maxLength).toBe(
        BOOKING_LIMITS.titleLength,
      );
      expect(schema.properties.reason.maxLength).toBe(
        BOOKING_LIMITS.reasonLength,
      );
      expect(schema.properties.externalLink.maxLength).toBe(
        BOOKING_LIMITS.linkLength,
      );
    }
  });
});

describe('toInputError', () => {
  it('names each failing field by where it is', () => {
    const error = toInputError({
      status: 400,
      message: 'request/body must NOT have additional properties',
      errors: [
        {
          path: '/body/colour',
          message: 'must NOT have additional properties',
          errorCode: 'additionalProperties.openapi.validation',
        },
        {
          path: '/query/limit',
          message: 'must be integer',
          errorCode: 'type.openapi.validation',
        },
        {
          path: '/body/start',
          message: 'must match format "date-time"',
          errorCode: 'format.openapi.validation',
        },
      ],
    });
    expect(error.name).toBe('InputError');
    expect(error.message).toBe(
      'body.colour: is not a known field; query.limit: must be integer; ' +
        'body.start: must be an ISO 8601 date-time with a time zone, e.g. 2026-12-01T09:00:00Z',
    );
  });

  it('explains an unsupported content type', () => {
    expect(
      toInputError({
        status: 415,
        message: 'unsupported media type text/plain',
        errors: [{ path: '/bookings', message: 'unsupported media type' }],
      }).message,
    ).toBe('The request body must be JSON (application/json)');
  });
});
