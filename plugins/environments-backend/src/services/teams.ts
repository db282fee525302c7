import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  Entity,
  RELATION_HAS_MEMBER,
  RELATION_OWNED_BY,
  RELATION_PARENT_OF,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';

/** A group as the catalog resolves it: itself, every group below it, and their members. */
export interface Team {
  groupRef: string;
  /** The group and its descendant groups, the group first. */
  groupRefs: string[];
  /** Members of any of these groups, each once, sorted. */
  memberRefs: string[];
}

/**
 * The group and all the groups below it (following `parentOf`, so a cycle in the catalog ends
 * the walk rather than looping), with their members (`hasMember`). One catalog query per level
 * of the hierarchy. NotFoundError when the catalog has no such group for the caller.
 */
export async function resolveTeam(
  catalog: CatalogService,
  groupRef: string,
  credentials: BackstageCredentials,
): Promise<Team> {
  const seen = new Set<string>();
  const members = new Set<string>();
  let next = [groupRef];
  while (next.length > 0) {
    const { items } = await catalog.getEntitiesByRefs(
      { entityRefs: next },
      { credentials },
    );
    if (
      seen.size === 0 &&
      items[0]?.kind.toLocaleLowerCase('en-US') !== 'group'
    ) {
      throw new NotFoundError(`No group ${groupRef}`);
    }
    next = [];
    for (const group of items) {
      if (!group) continue;
      const ref = stringifyEntityRef(group);
      if (seen.has(ref)) continue;
      seen.add(ref);
      for (const relation of group.relations ?? []) {
        if (relation.type === RELATION_HAS_MEMBER)
          members.add(relation.targetRef);
        if (
          relation.type === RELATION_PARENT_OF &&
          !seen.has(relation.targetRef)
        ) {
          next.push(relation.targetRef);
        }
      }
    }
  }
  return {
    groupRef: [...seen][0],
    groupRefs: [...seen],
    memberRefs: [...members].sort(),
  };
}

/** The components owned by any of the groups, optionally narrowed by a further catalog filter. */
export async function ownedComponents(
  catalog: CatalogService,
  groupRefs: string[],
  credentials: BackstageCredentials,
  filter: Record<string, string | symbol> = {},
): Promise<Entity[]> {
  const { items } = await catalog.getEntities(
    {
      filter: {
        kind: 'component',
        [`relations.${RELATION_OWNED_BY}`]: groupRefs,
        ...filter,
      },
    },
    { credentials },
  );
  return items;
}
