import {
  Content,
  Header,
  Page,
  Progress,
  TabbedLayout,
} from '@backstage/core-components';
import { bookingAdminPermission } from '@internal/plugin-environments-common';
import { usePermission } from '@backstage/plugin-permission-react';
import Alert from '@material-ui/lab/Alert';
import { adminTabs } from './adminTabs';

/** What a user without the admin permission sees instead of the page. */
export const NOT_ALLOWED_MESSAGE =
  'Not allowed: the administration page needs the environments admin permission';

/**
 * The platform team's administration page: one tab per area (see `adminTabs`). The content is
 * only rendered for holders of the admin permission; the API refuses the others with a 403 anyway,
 * the check here only spares them a page of errors.
 */
export function EnvironmentsAdminPage() {
  const { loading, allowed } = usePermission({
    permission: bookingAdminPermission,
  });
  let body: JSX.Element;
  if (loading) {
    body = (
      <Content>
        <Progress />
      </Content>
    );
  } else if (!allowed) {
    body = (
      <Content>
        <Alert severity="error">{NOT_ALLOWED_MESSAGE}</Alert>
      </Content>
    );
  } else {
    body = (
      <TabbedLayout>
        {adminTabs.map(tab => (
          <TabbedLayout.Route key={tab.path} path={tab.path} title={tab.title}>
            <Content>{tab.element}</Content>
          </TabbedLayout.Route>
        ))}
      </TabbedLayout>
    );
  }
  return (
    <Page themeId="tool">
      <Header
        title="Environments administration"
        subtitle="Booking policies, environment state, bookings, blackouts and the audit log"
      />
      {body}
    </Page>
  );
}
