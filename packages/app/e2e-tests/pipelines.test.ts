import { expect, test } from '@playwright/test';
import { screenshots, signInAsGuest } from './helpers';

// The demo's fake CI server (scripts/fake-ci-server.mjs) serves payments-api on GitHub: CI runs
// on main (the newest still running), a Deploy workflow, a feature branch; deployments of
// 1.4.0 to staging and 1.3.2 to production. The first view syncs the deployments.
test('the Environments tab shows pipelines and what version runs where, and the page the matrix', async ({
  page,
}) => {
  await signInAsGuest(page);
  await page.goto('/catalog/default/component/payments-api/environments');

  const latest = page.getByRole('table', { name: 'Latest GitHub runs' });
  await expect(latest).toBeVisible();
  await expect(
    page.getByText(/Demo data: these pipelines come from local fake servers/),
  ).toBeVisible();
  await expect(latest.getByRole('row').nth(1)).toContainText('main (default)');
  await expect(latest.getByText('Running')).toBeVisible();
  await expect(latest.getByText('feature/wallets').first()).toBeVisible();

  // The environments table's Deployed column, with drift in staging against production.
  const environments = page.getByRole('table').first();
  const staging = environments.getByRole('row', { name: /Checkout staging/ });
  await expect(staging).toContainText('1.4.0');
  await expect(
    staging.getByLabel('Drift: 1.3.2 in the reference environment'),
  ).toBeVisible();
  await expect(
    environments.getByRole('row', { name: /Production EU/ }),
  ).toContainText('1.3.2');

  await page.getByRole('button', { name: 'History' }).first().click();
  await expect(
    page.getByRole('table', { name: 'Run history' }).getByRole('row'),
  ).toHaveCount(9);
  await page.screenshot({
    path: `${screenshots}/pipelines-panel.png`,
    fullPage: true,
  });

  await page.goto('/environments');
  const matrix = page.getByRole('table', { name: 'Deployed versions' });
  await expect(matrix).toBeVisible();
  await expect(matrix.getByRole('row', { name: /Payments API/ })).toContainText(
    '1.4.0',
  );
  await matrix.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${screenshots}/version-matrix.png` });
});
