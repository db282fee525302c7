import { alertApiRef, configApiRef } from '@backstage/core-plugin-api';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { environmentsApiRef } from '../api';
import { fakeEnvironmentsApi } from '../components/fixtures';

/**
 * Renders a component with the fake environments API, config (`environments.demoData`), the
 * permission API (re-runs allowed or not) and an alert API that records its messages.
 *
 * usePermission caches answers per permission for the whole test file, so a file tests one
 * permission outcome.
 */
export async function renderWithApis(
  element: JSX.Element,
  options: { demo?: boolean; allowed?: boolean } = {},
) {
  const fake = fakeEnvironmentsApi([]);
  const alerts: string[] = [];
  const alertApi = {
    post: (alert: { message: string }) => {
      alerts.push(alert.message);
    },
    alert$: () => ({ subscribe: () => ({ unsubscribe() {} }) }),
  } as unknown as typeof alertApiRef.T;
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [environmentsApiRef, fake.api],
        [
          configApiRef,
          mockApis.config({
            data: { environments: { demoData: options.demo ?? false } },
          }),
        ],
        [
          permissionApiRef,
          mockApis.permission({
            authorize: options.allowed
              ? AuthorizeResult.ALLOW
              : AuthorizeResult.DENY,
          }),
        ],
        [alertApiRef, alertApi],
      ]}
    >
      {element}
    </TestApiProvider>,
  );
  return { ...fake, alerts };
}
