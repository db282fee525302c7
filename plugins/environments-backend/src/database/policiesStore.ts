import { PolicyScope } from '@internal/plugin-environments-common';
import { Knex } from 'knex';
import { PolicySettings, StoredPolicy } from '../domain/policies';
import { toDate } from './dates';

interface PolicyRow {
  scope: string;
  scope_key: string;
  settings: string;
  updated_by_ref: string;
  updated_at: Date | string | number;
}

const TABLE = 'booking_policies';

/** Every stored policy; there is at most one per scope and key. */
export async function listStoredPolicies(
  db: Knex | Knex.Transaction,
): Promise<StoredPolicy[]> {
  const rows = await db<PolicyRow>(TABLE)
    .select()
    .orderBy(['scope', 'scope_key']);
  return rows.map(toStoredPolicy);
}

/** Stores the policy of a scope, replacing the one stored before. */
export async function upsertStoredPolicy(
  tx: Knex.Transaction,
  policy: StoredPolicy,
): Promise<void> {
  await tx<PolicyRow>(TABLE)
    .insert({
      scope: policy.scope,
      scope_key: policy.scopeKey,
      settings: JSON.stringify(policy.settings),
      updated_by_ref: policy.updatedByRef,
      updated_at: policy.updatedAt,
    })
    .onConflict(['scope', 'scope_key'])
    .merge(['settings', 'updated_by_ref', 'updated_at']);
}

/** Deletes the stored policy of a scope; whether there was one. */
export async function deleteStoredPolicy(
  tx: Knex.Transaction,
  scope: PolicyScope,
  scopeKey: string,
): Promise<boolean> {
  const deleted = await tx(TABLE)
    .where({ scope, scope_key: scopeKey })
    .delete();
  return deleted > 0;
}

function toStoredPolicy(row: PolicyRow): StoredPolicy {
  return {
    scope: row.scope as PolicyScope,
    scopeKey: row.scope_key,
    // Validated when stored; read as written.
    settings: JSON.parse(row.settings) as PolicySettings,
    updatedByRef: row.updated_by_ref,
    updatedAt: toDate(row.updated_at),
  };
}
