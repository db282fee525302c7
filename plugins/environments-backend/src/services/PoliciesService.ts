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
  ENVIRONMENT_ENTITY_FILTER,
  PolicyScope,
  PolicyScopeEntry,
} from '@internal/plugin-environments-common';
import { Knex } from 'knex';
import { insertAuditEvent } from '../database/auditStore';
import {
  deleteStoredPolicy,
  listStoredPolicies,
  upsertStoredPolicy,
} from '../database/policiesStore';
import { toSnapshot } from '../domain/environments';
import {
  introducedContradictions,
  listPolicyScopes,
  parsePolicyUpdate,
  policyScopeEntry,
  PolicySet,
  policySubject,
  StoredPolicy,
  withStoredPolicies,
} from '../domain/policies';
import { requirePermission } from './permissions';

type UserCredentials = BackstageCredentials<BackstageUserPrincipal>;

/** A scope as a route names it: global, a tier, or an environment by namespace and name. */
export type PolicyTarget =
  | { scope: 'global' }
  | { scope: 'tier'; tier: string }
  | { scope: 'environment'; environment: CompoundEntityRef };

/**
 * Booking policies: the configured ones (`environments.bookingPolicies`) with those an
 * administrator stored in their place. Every booking reads them from the database, so all
 * replicas apply a change at once.
 */
export class PoliciesService {
  constructor(
    private readonly deps: {
      db: Knex;
      catalog: CatalogService;
      permissions: PermissionsService;
      /** The configured policies: the defaults, and what deleting a stored policy returns to. */
      configured: PolicySet;
    },
  ) {}

  /** The policies in force, read through `db` (the caller's transaction, when it has one). */
  async inForce(
    db: Knex | Knex.Transaction = this.deps.db,
  ): Promise<PolicySet> {
    return withStoredPolicies(
      this.deps.configured,
      await listStoredPolicies(db),
    );
  }

  /** Every scope with its policy, for the administration page. */
  async list(credentials: BackstageCredentials): Promise<PolicyScopeEntry[]> {
    await this.authorize(credentials);
    return listPolicyScopes(
      this.deps.configured,
      await listStoredPolicies(this.deps.db),
      await this.catalogEnvironments(credentials),
    );
  }

  /**
   * Stores the policy of a scope in place of the configured (or earlier stored) one. Refused
   * with a 400 when a field is invalid, the tier unknown, or the change leaves some scope with
   * limits that allow no booking; 404 for an unknown environment.
   */
  async put(
    target: PolicyTarget,
    body: unknown,
    credentials: UserCredentials,
    now = new Date(),
  ): Promise<PolicyScopeEntry> {
    await this.authorize(credentials);
    const update = parsePolicyUpdate(body);
    const environments = await this.catalogEnvironments(credentials);
    const { scope, key } = await this.resolveTarget(target, environments);
    return this.deps.db.transaction(async tx => {
      const storedBefore = await listStoredPolicies(tx);
      const stored: StoredPolicy = {
        scope,
        scopeKey: key,
        settings: update.policy,
        updatedByRef: credentials.principal.userEntityRef,
        updatedAt: now,
      };
      const storedAfter = [
        ...storedBefore.filter(p => !isAt(p, scope, key)),
        stored,
      ];
      const before = listPolicyScopes(
        this.deps.configured,
        storedBefore,
        environments,
      );
      const after = listPolicyScopes(
        this.deps.configured,
        storedAfter,
        environments,
      );
      const problems = introducedContradictions(before, after);
      if (problems.length > 0) throw new InputError(problems.join('; '));
      await upsertStoredPolicy(tx, stored);
      await this.audit(tx, 'policy-update', credentials, {
        scope,
        key,
        before: entryOf(before, scope, key),
        after: entryOf(after, scope, key)!,
        reason: update.reason,
        now,
      });
      return entryOf(after, scope, key)!;
    });
  }

  /** Deletes the stored policy of a scope, so the configured one applies again; 404 without one. */
  async reset(
    target: PolicyTarget,
    credentials: UserCredentials,
    now = new Date(),
  ): Promise<PolicyScopeEntry> {
    await this.authorize(credentials);
    const environments = await this.catalogEnvironments(credentials);
    const { scope, key } = targetKey(target);
    return this.deps.db.transaction(async tx => {
      const storedBefore = await listStoredPolicies(tx);
      if (!(await deleteStoredPolicy(tx, scope, key))) {
        throw new NotFoundError(
          `No stored policy for ${policySubject(scope, key)}`,
        );
      }
      const storedAfter = storedBefore.filter(p => !isAt(p, scope, key));
      const tier = environments.find(e => e.entityRef === key)?.tier;
      const after = policyScopeEntry(this.deps.configured, storedAfter, {
        scope,
        key,
        tier,
      });
      await this.audit(tx, 'policy-reset', credentials, {
        scope,
        key,
        before: policyScopeEntry(this.deps.configured, storedBefore, {
          scope,
          key,
          tier,
        }),
        after,
        now,
      });
      return after;
    });
  }

  /** The key a target is stored under; a 400 for a tier no environment or policy has. */
  private async resolveTarget(
    target: PolicyTarget,
    environments: Array<{ entityRef: string; tier: string }>,
  ): Promise<{ scope: PolicyScope; key: string }> {
    const resolved = targetKey(target);
    if (resolved.scope === 'tier') {
      const known = new Set([
        ...environments.map(e => e.tier),
        ...this.deps.configured.tiers.keys(),
        ...(await listStoredPolicies(this.deps.db))
          .filter(p => p.scope === 'tier')
          .map(p => p.scopeKey),
      ]);
      if (!known.has(resolved.key)) {
        throw new InputError(
          `tier: no environment has the tier "${resolved.key}" (known: ${[
            ...known,
          ]
            .sort()
            .join(', ')})`,
        );
      }
    }
    if (
      resolved.scope === 'environment' &&
      !environments.some(e => e.entityRef === resolved.key)
    ) {
      throw new NotFoundError(`No environment ${resolved.key} in the catalog`);
    }
    return resolved;
  }

  /** The catalog's environments, as the caller sees them. */
  private async catalogEnvironments(credentials: BackstageCredentials) {
    const { items } = await this.deps.catalog.getEntities(
      { filter: ENVIRONMENT_ENTITY_FILTER },
      { credentials },
    );
    return items.map(toSnapshot);
  }

  private authorize(credentials: BackstageCredentials) {
    return requirePermission(
      this.deps.permissions,
      bookingAdminPermission,
      credentials,
      'Only administrators can manage booking policies',
    );
  }

  /** Records a policy change in the audit table, inside the change's transaction. */
  private async audit(
    tx: Knex.Transaction,
    action: 'policy-update' | 'policy-reset',
    credentials: UserCredentials,
    change: {
      scope: PolicyScope;
      key: string;
      before?: PolicyScopeEntry;
      after?: PolicyScopeEntry;
      reason?: string;
      now: Date;
    },
  ) {
    const recorded = (entry?: PolicyScopeEntry) =>
      entry && { source: entry.source, settings: entry.settings };
    await insertAuditEvent(tx, {
      at: change.now,
      actorRef: credentials.principal.userEntityRef,
      action,
      subjectType: 'policy',
      subjectId: policySubject(change.scope, change.key),
      environmentRef: change.scope === 'environment' ? change.key : undefined,
      adminOverride: true,
      before: recorded(change.before),
      after: recorded(change.after),
      reason: change.reason,
    });
  }
}

function targetKey(target: PolicyTarget): { scope: PolicyScope; key: string } {
  switch (target.scope) {
    case 'global':
      return { scope: 'global', key: '' };
    case 'tier':
      return { scope: 'tier', key: target.tier.toLocaleLowerCase('en-US') };
    default:
      return {
        scope: 'environment',
        key: stringifyEntityRef(target.environment),
      };
  }
}

function isAt(policy: StoredPolicy, scope: PolicyScope, key: string) {
  return policy.scope === scope && policy.scopeKey === key;
}

function entryOf(
  entries: PolicyScopeEntry[],
  scope: PolicyScope,
  key: string,
): PolicyScopeEntry | undefined {
  return entries.find(e => e.scope === scope && e.key === key);
}
