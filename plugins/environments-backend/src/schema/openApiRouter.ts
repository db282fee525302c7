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
  // PostgreSQL can neither store nor compare text with NUL characters: refuse them up front.
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
  return router as TypedRouter<EndpointMap>;
}

/** Where in a parsed query or JSON body a string holds a NUL character, if anywhere. */
function nulField(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') {
    return value.includes('\u0000') ? path : undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [key, item] of Object.entries(value)) {
    const found = nulField(item, `${path}.${key}`);
    if (found) return found;
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
