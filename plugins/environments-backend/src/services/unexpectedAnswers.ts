import {
  CiProvider,
  CiUpstreamError,
} from '@internal/plugin-environments-node';

/**
 * Runs one read of a provider. A TypeError there means the CI system answered JSON of another
 * shape than its API documents (a proxy's error object with a 200, an API change): that is the
 * CI system failing, and the reason shown says so instead of naming a property of the code.
 */
async function read<T>(provider: CiProvider, work: () => Promise<T>) {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    throw new CiUpstreamError(
      `${provider.id} answered with data of an unexpected shape (${error.message})`,
      'unavailable',
    );
  }
}

/** The provider, with answers it cannot read failing as the CI system's fault, named. */
export function namingUnexpectedAnswers(provider: CiProvider): CiProvider {
  const { rerun } = provider;
  return {
    id: provider.id,
    appliesTo: entity => provider.appliesTo(entity),
    getDefaultBranch: entity =>
      read(provider, () => provider.getDefaultBranch(entity)),
    listRuns: (entity, options) =>
      read(provider, () => provider.listRuns(entity, options)),
    getRun: (entity, runId) =>
      read(provider, () => provider.getRun(entity, runId)),
    listDeployments: (entity, options) =>
      read(provider, () => provider.listDeployments(entity, options)),
    rerun:
      rerun &&
      ((entity, runId) =>
        read(provider, () => rerun.call(provider, entity, runId))),
  };
}
