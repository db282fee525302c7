import { VersionCell } from '@internal/plugin-environments-common';

/** An environment a deployment may be matched to. */
export interface EnvironmentCandidate {
  entityRef: string;
  name: string;
  title?: string;
  tier: string;
}

/** Names CI systems commonly give tiers. */
const TIER_ALIASES: Record<string, string> = {
  production: 'prod',
  prd: 'prod',
  stage: 'staging',
  stg: 'staging',
  development: 'dev',
  testing: 'test',
  qa: 'test',
};

const normalise = (text: string) => text.trim().toLocaleLowerCase('en-US');

/**
 * The catalog environment a CI system's environment name means, among the environments the
 * component runs in: the one with that name or title; otherwise the only one of that tier
 * (`production` → the one `prod` environment). Undefined when it is not clear.
 */
export function matchEnvironment(
  ciName: string,
  candidates: EnvironmentCandidate[],
): string | undefined {
  const wanted = normalise(ciName);
  const named = candidates.find(
    env =>
      normalise(env.name) === wanted ||
      (env.title !== undefined && normalise(env.title) === wanted),
  );
  if (named) return named.entityRef;
  const tier = TIER_ALIASES[wanted] ?? wanted;
  const ofTier = candidates.filter(env => normalise(env.tier) === tier);
  return ofTier.length === 1 ? ofTier[0].entityRef : undefined;
}

/**
 * Marks drift: a cell drifts when its component's newest deployment to a reference-tier
 * environment (production, usually) is another version. Reference cells drift from each other
 * the same way, so two production regions on different versions both show it.
 */
export function markDrift(
  cells: VersionCell[],
  tierOf: (environmentRef: string) => string | undefined,
  referenceTier: string,
): VersionCell[] {
  const reference = new Map<string, VersionCell>();
  for (const cell of cells) {
    if (tierOf(cell.environmentRef) !== referenceTier) continue;
    const known = reference.get(cell.entityRef);
    if (!known || known.deployedAt < cell.deployedAt) {
      reference.set(cell.entityRef, cell);
    }
  }
  return cells.map(cell => {
    const ref = reference.get(cell.entityRef);
    if (!ref || ref === cell || ref.version === cell.version) return cell;
    return {
      ...cell,
      drift: {
        referenceEnvironmentRef: ref.environmentRef,
        referenceVersion: ref.version,
      },
    };
  });
}
