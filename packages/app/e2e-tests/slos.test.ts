import { expect, test } from '@playwright/test';
import { screenshots, signInAsGuest } from './helpers';

// The demo Prometheus (plugins/environments-backend-module-prometheus, demoFixture) serves 31
// days ending when it started. search-api in prod-eu: 3,000 requests a minute, 3 failing, and
// a 4-hour outage a week ago at 1,500 failing a minute. Over the 30-day window:
//   bad   = 43,200 min × 3 + 240 min × (1,500 − 3) = 488,880
//   total = 43,200 min × 3,000                     = 129,600,000
//   SLI   = 1 − 488,880 / 129,600,000 = 99.6228%; at 99.5% the budget left is
//   1 − 0.0037722 / 0.005 = 24.6%, under a quarter: at risk.
test('the SLOs tab shows the budget computed from Prometheus', async ({
  page,
}) => {
  await signInAsGuest(page);
  await page.goto('/catalog/default/component/search-api/slos');

  const objective = page.getByTestId('objective-search-availability-99.5%');
  await expect(page.getByText('Search availability')).toBeVisible();
  await expect(objective.getByText('99.623%')).toBeVisible();
  await expect(objective.getByText('24.6%')).toBeVisible();
  await expect(objective.getByText('At risk')).toBeVisible();
  await expect(
    objective.getByRole('meter', { name: 'Error budget left' }),
  ).toHaveAttribute('aria-valuenow', '24.6');
  // The burn-down and SLI charts drew their lines.
  await expect(objective.locator('.recharts-line-curve')).toHaveCount(3);

  // Payments in production is burning right now: the fastest alert fires.
  await page.goto('/catalog/default/component/payments-api/slos');
  await page.getByLabel('Environment', { exact: true }).click();
  await page.getByRole('option', { name: 'Production EU' }).click();
  const availability = page.getByTestId(
    'objective-payments-availability-Three nines',
  );
  await expect(
    availability.getByRole('table').getByText('1h / 5m').locator('..'),
  ).toContainText('page firing');
  await page.screenshot({
    path: `${screenshots}/slos-tab.png`,
    fullPage: true,
  });
});
