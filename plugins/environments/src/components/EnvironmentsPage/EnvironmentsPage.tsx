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
import { Environment } from '@internal/plugin-environments-common';
import Grid from '@material-ui/core/Grid';
import { useCallback, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { environmentsApiRef } from '../../api';
import { BookingDialog } from '../BookingDialog';
import { EnvironmentsTable } from '../EnvironmentsTable';
import { VersionMatrix } from '../Pipelines';
import { EnvironmentsTimeline } from '../EnvironmentsTimeline';
import { MyBookings } from '../MyBookings';
import { PendingApprovals } from '../PendingApprovals';
import { useBookingAlerts } from '../useBookingAlerts';
import { UsageSection } from '../UsageAnalytics';
import {
  applyFilters,
  EnvironmentFilters,
  Filters,
  NO_FILTERS,
} from './EnvironmentFilters';
import { EnvironmentsTierSummary } from './EnvironmentsTierSummary';

/**
 * Portal-wide view of every environment: filters, the booking timeline, the user's bookings,
 * approvals waiting, and the table.
 */
export function EnvironmentsPage() {
  const api = useApi(environmentsApiRef);
  const { value, loading, error, retry } = useAsyncRetry(
    () => api.listEnvironments(),
    [api],
  );
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  // Bumped after every change, so the timeline and my bookings reload with the table.
  const [version, setVersion] = useState(0);
  const [picked, setPicked] = useState<{
    environment: Environment;
    slot: { start: Date; end: Date };
  }>();
  const alerts = useBookingAlerts();
  const changed = useCallback(() => {
    setVersion(v => v + 1);
    retry();
  }, [retry]);

  let body: JSX.Element;
  if (loading && !value) {
    body = <Progress />;
  } else if (error) {
    body = <ResponseErrorPanel error={error} />;
  } else {
    const all = value ?? [];
    const shown = applyFilters(all, filters);
    body = (
      <Grid container spacing={3}>
        <Grid item xs={12}>
          <EnvironmentsTierSummary environments={all} />
          <EnvironmentFilters
            environments={all}
            filters={filters}
            onChange={setFilters}
          />
        </Grid>
        <Grid item xs={12}>
          <EnvironmentsTimeline
            environments={shown}
            version={version}
            onPickSlot={(environment, slot) => setPicked({ environment, slot })}
          />
        </Grid>
        <Grid item xs={12} md={6}>
          <MyBookings version={version} onChanged={changed} />
        </Grid>
        <Grid item xs={12} md={6}>
          <PendingApprovals onDecided={changed} />
        </Grid>
        <Grid item xs={12}>
          <EnvironmentsTable
            title="All environments"
            environments={shown}
            onChanged={changed}
          />
        </Grid>
        <Grid item xs={12}>
          <VersionMatrix
            systemRefs={[
              ...new Set(
                all.flatMap(env => (env.systemRef ? [env.systemRef] : [])),
              ),
            ].sort()}
          />
        </Grid>
        <Grid item xs={12}>
          <UsageSection />
        </Grid>
      </Grid>
    );
  }

  return (
    <Page themeId="tool">
      <Header
        title="Environments"
        subtitle="Every test environment in the catalog: who owns it, who holds it, and when it is free"
      />
      <Content>
        <ContentHeader title="">
          <SupportButton>
            Environments are catalog entities of kind Resource with spec.type
            environment.
          </SupportButton>
        </ContentHeader>
        {body}
        {picked && (
          <BookingDialog
            open
            environment={picked.environment}
            initialSlot={picked.slot}
            onClose={() => setPicked(undefined)}
            onBooked={booking => {
              alerts.booked(picked.environment, booking);
              setPicked(undefined);
              changed();
            }}
            onWaitlisted={position => {
              alerts.waitlisted(picked.environment, position);
              setPicked(undefined);
              changed();
            }}
          />
        )}
      </Content>
    </Page>
  );
}
