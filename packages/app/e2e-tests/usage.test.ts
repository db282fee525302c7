import { expect, test } from '@playwright/test';
import fs from 'node:fs';
import { screenshots, signInAsAdmin, signInAsGuest } from './helpers';

test('the Environments page charts usage from the demo history and exports it as CSV', async ({
  page,
}) => {
  await signInAsGuest(page);
  await page.getByRole('link', { name: 'Environments' }).click();
  const environments = page.getByRole('table', { name: 'Environment' });
  const row = (name: string) =>
    environments.getByRole('row').filter({ hasText: name });
  // The demo backend writes its history once the catalog sync has stored the environments:
  // then Checkout staging shows the approvals its past bookings waited for.
  await expect(async () => {
    await page.reload();
    await expect(row('Checkout staging').getByRole('cell').nth(4)).toHaveText(
      / h \(\d+\)$/,
      { timeout: 5_000 },
    );
  }).toPass({ timeout: 90_000 });

  // Checkout QA 2 was down part of every third day: not always available. Production cannot
  // be booked: its usage is unknown, not 0%.
  await expect(row('Checkout QA 2').getByRole('cell').nth(1)).not.toHaveText(
    '100%',
  );
  await expect(row('Production EU').getByRole('cell').nth(2)).toHaveText('—');
  await expect(
    page.getByRole('table', { name: 'Tier' }).getByRole('row'),
  ).toHaveCount(6);
  await page.getByText('All environments together').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${screenshots}/usage.png`, fullPage: true });

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'CSV' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(
    /^environment-usage-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/,
  );
  const csv = fs.readFileSync((await file.path())!, 'utf8');
  expect(csv.split('\r\n')[0]).toMatch(/^scope,key,tier,availability_percent,/);
  expect(csv).toContain('environment,resource:default/checkout-qa-2,test,');
});

test('the administration page has the usage as its Usage tab', async ({
  page,
}) => {
  await signInAsAdmin(page);
  await page.goto('/environments-admin/usage');
  await expect(page.getByRole('table', { name: 'Tier' })).toBeVisible();
  await expect(
    page.getByRole('table', { name: 'Environment' }).getByRole('row'),
  ).toHaveCount(12);
});
