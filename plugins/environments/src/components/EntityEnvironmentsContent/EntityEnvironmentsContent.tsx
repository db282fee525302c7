import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { environmentsApiRef } from '../../api';
import { EnvironmentsTable } from '../EnvironmentsTable';

/** The Environments tab: environments of the entity's system and those it depends on. */
export function EntityEnvironmentsContent() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const api = useApi(environmentsApiRef);
  const { value, loading, error, retry } = useAsyncRetry(
    () => api.listEnvironments({ entityRef }),
    [api, entityRef],
  );

  if (loading && !value) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  return (
    <EnvironmentsTable
      title="Environments"
      environments={value ?? []}
      onChanged={retry}
      emptyContent={
        <EmptyState
          missing="data"
          title="This component runs in no known environment"
          description="An environment is linked to a component when both belong to the same system (spec.system), or when the component lists the environment resource in spec.dependsOn."
        />
      }
    />
  );
}
