import {
  StatusAborted,
  StatusOK,
  StatusWarning,
  Table,
  TableColumn,
} from '@backstage/core-components';
import {
  alertApiRef,
  identityApiRef,
  useApi,
} from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  Environment,
  EnvironmentStatus,
  VersionCell,
} from '@internal/plugin-environments-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import { useMemo, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { environmentsApiRef } from '../../api';
import { BookingDialog } from '../BookingDialog';
import { HealthIndicator } from '../HealthIndicator';
import { formatDateTime } from '../time';
import { useBookingAlerts } from '../useBookingAlerts';
import { DeployedVersion } from '../Pipelines/DeployedVersion';

const STATUS_LABELS: Record<EnvironmentStatus, string> = {
  available: 'Available',
  maintenance: 'In maintenance',
  retired: 'Retired',
};

/** Shows an environment's runtime status with the catalog's status colours. */
export function EnvironmentStatusLabel({
  status,
}: {
  status: EnvironmentStatus;
}) {
  const label = STATUS_LABELS[status];
  switch (status) {
    case 'available':
      return <StatusOK>{label}</StatusOK>;
    case 'maintenance':
      return <StatusWarning>{label}</StatusWarning>;
    default:
      return <StatusAborted>{label}</StatusAborted>;
  }
}

/** Who holds the environment now and until when, and who is next. */
function Holder({ environment }: { environment: Environment }) {
  const current = environment.currentBooking;
  const next = environment.upcomingBookings[0];
  return (
    <Box>
      {current ? (
        <Typography variant="body2">
          <EntityRefLink entityRef={current.requesterRef} defaultKind="user" />{' '}
          until {formatDateTime(current.end)}
        </Typography>
      ) : (
        <Typography variant="body2">Free</Typography>
      )}
      {next && (
        <Typography variant="caption" color="textSecondary">
          Next: {formatDateTime(next.start)}
          {next.status === 'pending' && ' (waiting for approval)'}
        </Typography>
      )}
    </Box>
  );
}

const staticColumns: TableColumn<Environment>[] = [
  {
    title: 'Environment',
    field: 'name',
    highlight: true,
    customFilterAndSearch: (query, env) =>
      `${env.name} ${env.title ?? ''}`
        .toLocaleLowerCase()
        .includes(String(query).toLocaleLowerCase()),
    render: env => (
      <EntityRefLink entityRef={env.entityRef} title={env.title ?? env.name} />
    ),
  },
  {
    title: 'Tier',
    field: 'tier',
    render: env => <Chip label={env.tier} size="small" variant="outlined" />,
  },
  {
    title: 'Status',
    field: 'status',
    render: env => (
      <Box display="flex" flexDirection="column" alignItems="flex-start">
        <EnvironmentStatusLabel status={env.status} />
        <HealthIndicator health={env.health} />
      </Box>
    ),
  },
  {
    title: 'Holder',
    sorting: false,
    render: env => <Holder environment={env} />,
  },
  {
    title: 'Booking',
    field: 'bookable',
    render: env => {
      if (!env.bookable) return 'Not bookable';
      return env.capacity === 1 ? 'Exclusive' : `Shared, ${env.capacity} slots`;
    },
  },
  {
    title: 'Owner',
    field: 'ownerRef',
    render: env =>
      env.ownerRef ? (
        <EntityRefLink entityRef={env.ownerRef} defaultKind="group" />
      ) : (
        '—'
      ),
  },
  {
    title: 'System',
    field: 'systemRef',
    render: env =>
      env.systemRef ? (
        <EntityRefLink entityRef={env.systemRef} defaultKind="system" />
      ) : (
        '—'
      ),
  },
];

/** A searchable table of environments, with booking and releasing where the user may. */
export function EnvironmentsTable(props: {
  title: string;
  environments: Environment[];
  emptyContent?: JSX.Element;
  /** Called after the user booked or released something, to reload the list. */
  onChanged: () => void;
  /** What the entity runs in each environment (by environment ref): adds a Deployed column. */
  deployed?: Map<string, VersionCell>;
}) {
  const { environments, onChanged, deployed } = props;
  const api = useApi(environmentsApiRef);
  const alertApi = useApi(alertApiRef);
  const identityApi = useApi(identityApiRef);
  const { value: identity } = useAsync(
    () => identityApi.getBackstageIdentity(),
    [identityApi],
  );
  const [booking, setBooking] = useState<Environment>();
  const alerts = useBookingAlerts();

  const columns = useMemo<TableColumn<Environment>[]>(() => {
    async function release(env: Environment) {
      try {
        await api.releaseBooking(env.currentBooking!.id);
        alertApi.post({
          message: `Released ${env.title ?? env.name}`,
          severity: 'success',
          display: 'transient',
        });
      } catch (e) {
        alertApi.post({
          message: `Could not release: ${(e as Error).message}`,
          severity: 'error',
        });
      }
      onChanged();
    }
    const deployedColumn: TableColumn<Environment>[] = deployed
      ? [
          {
            title: 'Deployed',
            sorting: false,
            render: env => (
              <DeployedVersion
                cell={deployed.get(env.entityRef)}
                referenceName={ref =>
                  environments.find(e => e.entityRef === ref)?.title ?? ref
                }
              />
            ),
          },
        ]
      : [];
    return [
      ...staticColumns,
      ...deployedColumn,
      {
        title: 'Actions',
        sorting: false,
        render: env => (
          <Box display="flex" style={{ gap: 8, whiteSpace: 'nowrap' }}>
            {env.bookable && env.status === 'available' && (
              <Button
                size="small"
                variant="outlined"
                color="primary"
                onClick={() => setBooking(env)}
              >
                Book
              </Button>
            )}
            {env.currentBooking &&
              env.currentBooking.requesterRef === identity?.userEntityRef && (
                <Button
                  size="small"
                  variant="outlined"
                  onClick={() => release(env)}
                >
                  Release
                </Button>
              )}
          </Box>
        ),
      },
    ];
  }, [api, alertApi, identity, onChanged, deployed, environments]);

  return (
    <>
      <Table<Environment>
        title={props.title}
        columns={columns}
        data={environments}
        options={{
          paging: environments.length > 20,
          pageSize: 20,
          padding: 'dense',
        }}
        emptyContent={props.emptyContent}
      />
      {booking && (
        <BookingDialog
          open
          environment={booking}
          onClose={() => setBooking(undefined)}
          onBooked={created => {
            setBooking(undefined);
            alerts.booked(booking, created);
            onChanged();
          }}
          onWaitlisted={position => {
            setBooking(undefined);
            alerts.waitlisted(booking, position);
          }}
        />
      )}
    </>
  );
}
