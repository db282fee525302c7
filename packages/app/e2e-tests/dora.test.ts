import { expect, test } from '@playwright/test';
import { screenshots, signInAsGuest } from './helpers';

// The demo's fake GitHub (scripts/fake-ci-server.mjs) has four weeks of payments-api releases to
// production with commit times: 10 successful, 1.1.1 failed and was fixed 4.8 hours later by
// 1.1.2, and 1.2.1 was rolled back to 1.2.0. Over the last 30 days in Production EU: 2.3
// deployments a week, a median lead time of 13.2 hours, 2 failed changes of 11, restored in 4.8
// hours (SLO signals of the running demo can only add failures not yet recovered).
test('the Delivery tab shows the DORA metrics of a component and of its team', async ({
  page,
}) => {
  test.slow();
  await signInAsGuest(page);
  // The deployments are synced by the first view of the Environments tab, if not before.
  await page.goto('/catalog/default/component/payments-api/environments');
  await expect(
    page
      .getByRole('table')
      .first()
      .getByRole('row', { name: /Production EU/ }),
  ).toContainText('1.3.2');

  await page.getByRole('tab', { name: 'Delivery' }).click();
  const tile = (name: string) => page.getByRole('group', { name });
  await expect(tile('Deployment frequency')).toContainText('2.3 per week');
  await expect(tile('Deployment frequency')).toContainText('High');
  await expect(tile('Deployment frequency')).toContainText(
    'from 10 successful deployments',
  );
  await expect(tile('Lead time for changes')).toContainText('13.2 h');
  await expect(tile('Lead time for changes')).toContainText('Elite');
  await expect(tile('Change failure rate')).toContainText('18%');
  await expect(tile('Change failure rate')).toContainText(
    'from 11 finished deployments (2 failed)',
  );
  await expect(tile('Time to restore')).toContainText('4.8 h');
  await expect(tile('Time to restore')).toContainText('High');
  await expect(
    page.getByText(/A deployment counts as a failed change when, within 24/),
  ).toBeVisible();
  await page.screenshot({
    path: `${screenshots}/delivery-tab.png`,
    fullPage: true,
  });

  // The payments team's components together: only payments-api deploys to production.
  await page.goto('/catalog/default/group/payments-team/delivery');
  await expect(page.getByText(/3 component\(s\) together/)).toBeVisible();
  await expect(tile('Deployment frequency')).toContainText('2.3 per week');
});
