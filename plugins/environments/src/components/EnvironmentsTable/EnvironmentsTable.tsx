import {
  StatusAborted,
  StatusOK,
  StatusWarning,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  Environment,
  EnvironmentStatus,
} from '@internal/plugin-environments-common';
import Chip from '@material-ui/core/Chip';

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

const columns: TableColumn<Environment>[] = [
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
    render: env => <EnvironmentStatusLabel status={env.status} />,
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

/** A searchable table of environments. */
export function EnvironmentsTable(props: {
  title: string;
  environments: Environment[];
  emptyContent?: JSX.Element;
}) {
  return (
    <Table<Environment>
      title={props.title}
      columns={columns}
      data={props.environments}
      options={{
        paging: props.environments.length > 20,
        pageSize: 20,
        padding: 'dense',
      }}
      emptyContent={props.emptyContent}
    />
  );
}
