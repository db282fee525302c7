import { AuditorService } from '@backstage/backend-plugin-api';
import { JsonObject } from '@backstage/types';
import { Request } from 'express';

/** Runs a write and records it with the Backstage auditor, whether it succeeds or fails. */
export type Audited = <T>(
  eventId: string,
  req: Request<any, any, any, any>,
  meta: JsonObject,
  write: () => Promise<T>,
  /** What the outcome adds to the event (a decision, say); nothing by default. */
  outcome?: (result: T) => JsonObject,
) => Promise<T>;

export function createAudited(auditor: AuditorService): Audited {
  return async (eventId, req, meta, write, outcome) => {
    const event = await auditor.createEvent({ eventId, request: req, meta });
    try {
      const result = await write();
      await event.success(outcome ? { meta: outcome(result) } : undefined);
      return result;
    } catch (error) {
      await event.fail({ error: error as Error });
      throw error;
    }
  };
}
