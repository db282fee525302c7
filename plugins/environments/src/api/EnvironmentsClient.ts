import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  Environment,
  EnvironmentList,
} from '@internal/plugin-environments-common';
import { EnvironmentsApi } from './EnvironmentsApi';

/** Talks to `/api/environments` with the signed-in user's token (through the fetch API). */
export class EnvironmentsClient implements EnvironmentsApi {
  constructor(
    private readonly deps: { discoveryApi: DiscoveryApi; fetchApi: FetchApi },
  ) {}

  async listEnvironments(
    options: { entityRef?: string } = {},
  ): Promise<Environment[]> {
    const query = new URLSearchParams();
    if (options.entityRef) query.set('entityRef', options.entityRef);
    const body = await this.get<EnvironmentList>(
      `/environments${query.size ? `?${query}` : ''}`,
    );
    return body.items;
  }

  private async get<T>(path: string): Promise<T> {
    const baseUrl = await this.deps.discoveryApi.getBaseUrl('environments');
    const response = await this.deps.fetchApi.fetch(`${baseUrl}${path}`);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
