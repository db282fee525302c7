import {
  Content,
  ContentHeader,
  Header,
  Page,
  Progress,
  ResponseErrorPanel,
  SupportButton,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { environmentsApiRef } from '../../api';
import { EnvironmentsTable } from '../EnvironmentsTable';
import { PendingApprovals } from '../PendingApprovals';
import { EnvironmentsTierSummary } from './EnvironmentsTierSummary';

/** Portal-wide list of every environment in the catalog with its state. */
export function EnvironmentsPage() {
  const api = useApi(environmentsApiRef);
  const { value, loading, error, retry } = useAsyncRetry(
    () => api.listEnvironments(),
    [api],
  );

  let body: JSX.Element;
  if (loading && !value) {
    body = <Progress />;
  } else if (error) {
    body = <ResponseErrorPanel error={error} />;
  } else {
    const environments = value ?? [];
    body = (
      <>
        <EnvironmentsTierSummary environments={environments} />
        <PendingApprovals onDecided={retry} />
        <EnvironmentsTable
          title="All environments"
          environments={environments}
          onChanged={retry}
        />
      </>
    );
  }

  return (
    <Page themeId="tool">
      <Header
        title="Environments"
        subtitle="Every test environment in the catalog: who owns it and what state it is in"
      />
      <Content>
        <ContentHeader title="">
          <SupportButton>
            Environments are catalog entities of kind Resource with spec.type
            environment.
          </SupportButton>
        </ContentHeader>
        {body}
      </Content>
    </Page>
  );
}
