import {
  BackstageCredentials,
  BackstageUserPrincipal,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  CompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  bookingAdminPermission,
  isEnvironmentEntity,
} from '@internal/plugin-environments-common';
import { Knex } from 'knex';
import { insertAuditEvent } from '../database/auditStore';
import {
  lockEnvironment,
  updateEnvironmentState,
} from '../database/environmentsStore';
import {
  EnvironmentState,
  parseEnvironmentStateChange,
  toSnapshot,
} from '../domain/environments';
import { requirePermission } from './permissions';

type UserCredentials = BackstageCredentials<BackstageUserPrincipal>;

/**
 * An environment's state as administrators set it: its status (maintenance and retired refuse
 * new bookings) and overrides of its catalog values, kept across catalog syncs.
 */
export class EnvironmentStateService {
  constructor(
    private readonly deps: {
      db: Knex;
      catalog: CatalogService;
      permissions: PermissionsService;
    },
  ) {}

  /**
   * Applies the change in the body (see `parseEnvironmentStateChange`) under the environment's
   * lock, so it takes effect between bookings, never during one's checks; audited.
   */
  async update(
    ref: CompoundEntityRef,
    body: unknown,
    credentials: UserCredentials,
    now = new Date(),
  ): Promise<EnvironmentState> {
    await requirePermission(
      this.deps.permissions,
      bookingAdminPermission,
      credentials,
      'Only administrators can change the state of environments',
    );
    const change = parseEnvironmentStateChange(body);
    const entityRef = stringifyEntityRef(ref);
    const entity = await this.deps.catalog.getEntityByRef(entityRef, {
      credentials,
    });
    if (!entity || !isEnvironmentEntity(entity)) {
      throw new NotFoundError(`No environment ${entityRef} in the catalog`);
    }
    if (change.componentSlots) {
      await this.checkComponentsExist(change.componentSlots, credentials);
    }
    return this.deps.db.transaction(async tx => {
      const before = await lockEnvironment(tx, toSnapshot(entity), now);
      // The same status again is no status change: its time stays.
      const status =
        change.status === before.status ? undefined : change.status;
      const after = await updateEnvironmentState(
        tx,
        entityRef,
        { ...change, status },
        now,
      );
      await insertAuditEvent(tx, {
        at: now,
        actorRef: credentials.principal.userEntityRef,
        action: 'environment-update',
        subjectType: 'environment',
        subjectId: entityRef,
        environmentRef: entityRef,
        adminOverride: true,
        before: audited(before),
        after: audited(after),
        reason: change.reason,
      });
      return after;
    });
  }

  /** Slots name components; a typo would make a slot nobody can book. */
  private async checkComponentsExist(
    refs: string[],
    credentials: BackstageCredentials,
  ) {
    const { items } = await this.deps.catalog.getEntitiesByRefs(
      { entityRefs: refs, fields: ['kind', 'metadata.name'] },
      { credentials },
    );
    const missing = refs.findIndex((_, i) => !items[i]);
    if (missing !== -1) {
      throw new InputError(
        `componentSlots[${missing}]: no component ${refs[missing]} in the catalog`,
      );
    }
  }
}

/** What the audit log keeps of an environment's state. */
function audited(state: EnvironmentState) {
  return { status: state.status, overrides: state.overrides };
}
