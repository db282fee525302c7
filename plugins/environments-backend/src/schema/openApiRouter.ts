import type { TypedRouter } from '@backstage/backend-openapi-utils';
import { InputError } from '@backstage/errors';
import express from 'express';
import Router from 'express-promise-router';
import { middleware as openApiValidator } from 'express-openapi-validator';
import { EndpointMap } from './openapi/generated/endpoints';
import { spec } from './openapi/generated/spec';

/** Largest request body accepted; the spec's string limits keep real requests far below it. */
const BODY_LIMIT = '64kb';

/**
 * An express router that checks every request against `openapi.yaml` before a handler runs
 * (unknown fields and query parameters, types, formats, enums, lengths, ranges), and whose
 * handlers are typed from it.
 *
 * Backstage's `createValidatedOpenApiRouter` does the same, but turns a validation failure into
 * a message without the field's name ("request/body must NOT have additional properties"); this
 * one names it, as the API promises.
 */
export function createOpenApiRouter(): TypedRouter<EndpointMap> {
  const router = Router();
  router.use(express.json({ limit: BODY_LIMIT }));
  router.use(
    openApiValidator({
      apiSpec: spec as any,
      validateRequests: {
        coerceTypes: false,
        allowUnknownQueryParameters: false,
      },
      validateResponses: false,
      useRequestUrl: true,
      ignoreUndocumented: true,
    }),
  );
  router.use(
    (
      error: unknown,
      _req: express.Request,
      _res: express.Response,
      next: express.NextFunction,
    ) => next(isValidationError(error) ? toInputError(error) : error),
  );
  // PostgreSQL can neither store nor compare text with NUL characters: refuse them before any
  // handler runs a query.
  router.use((req, _res, next) => {
    const field = req.path.includes('%00')
      ? 'path'
      : nulField(req.query, 'query') ?? nulField(req.body, 'body');
    next(
      field
        ? new InputError(`${field}: must not contain NUL characters`)
        : undefined,
    );
  });
  return router as TypedRouter<EndpointMap>;
}

/**
 * The top-level field of a parsed query or JSON body that holds a NUL character somewhere, if
 * any. It walks with a list rather than by recursion, since a 64 kB body can nest 30,000 deep.
 */
function nulField(value: unknown, name: string): string | undefined {
  const pending: Array<{ item: unknown; field: string }> = [
    { item: value, field: name },
  ];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { item, field } = next;
    if (typeof item === 'string' && item.includes('\u0000')) return field;
    if (typeof item === 'object' && item !== null) {
      for (const [key, child] of Object.entries(item)) {
        pending.push({
          item: child,
          field: field === name ? `${name}.${key}` : field,
        });
      }
    }
  }
  return undefined;
}

interface ValidationError {
  status: number;
  message: string;
  errors: Array<{ path: string; message: string; errorCode?: string }>;
}

function isValidationError(error: unknown): error is ValidationError {
  return (
    typeof error === 'object' &&
    error !== null &&
    Array.isArray((error as ValidationError).errors) &&
    typeof (error as ValidationError).status === 'number'
  );
}

/** "body.title: must NOT have more than 200 characters", naming each field that failed. */
export function toInputError(error: ValidationError): InputError {
  if (error.status === 415) {
    return new InputError('The request body must be JSON (application/json)');
  }
  const problems = error.errors.map(({ path, message, errorCode }) => {
    // The validator calls path parameters `params`; the spec calls them `path`.
    const field = path
      .replace(/^\/params\//, '/path/')
      .replace(/^\//, '')
      .replace(/\//g, '.');
    if (errorCode?.startsWith('additionalProperties')) {
      return `${field}: is not a known field`;
    }
    if (message === 'must match format "date-time"') {
      return `${field}: must be an ISO 8601 date-time with a time zone, e.g. 2026-12-01T09:00:00Z`;
    }
    return `${field}: ${message}`;
  });
  return new InputError(problems.length ? problems.join('; ') : error.message);
}
