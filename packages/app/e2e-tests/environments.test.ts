import { expect, Page, test } from '@playwright/test';
import { screenshots, signInAsGuest } from './helpers';

/** The first column of the environments table: one cell per environment, in display order. */
function environmentColumn(page: Page) {
  return page.getByRole('table').first().locator('tbody tr td:first-child');
}

test('a component page shows the environments the catalog links to it', async ({
  page,
}) => {
  await signInAsGuest(page);
  await page.goto('/catalog/default/component/payments-api');
  await expect(
    page.getByRole('heading', { name: 'Payments API' }).first(),
  ).toBeVisible();

  await page.getByRole('tab', { name: 'Environments' }).click();
  await expect(page).toHaveURL(
    /\/catalog\/default\/component\/payments-api\/environments$/,
  );
  // The checkout system's environments plus the ones payments-api depends on.
  // Exactly the checkout system's environments plus the ones payments-api depends on, by tier.
  await expect(environmentColumn(page)).toHaveText([
    'Shared dev',
    'Checkout QA 1',
    'Checkout QA 2',
    'Checkout staging',
    'Performance lab',
    'Production EU',
  ]);
  await expect(
    page.getByRole('table').getByText('Shared, 5 slots'),
  ).toBeVisible();
  await page.screenshot({
    path: `${screenshots}/environments-tab.png`,
    fullPage: true,
  });
});

test('the Environments page lists every environment of the catalog', async ({
  page,
}) => {
  await signInAsGuest(page);
  await page.getByRole('link', { name: 'Environments' }).click();
  await expect(page).toHaveURL(/\/environments$/);
  await expect(page.getByText('All environments')).toBeVisible();

  await expect(environmentColumn(page)).toHaveText([
    'Shared dev',
    'Checkout QA 1',
    'Checkout QA 2',
    'Discovery QA',
    'Payments sandbox',
    'Checkout staging',
    'Discovery staging',
    'Staging EU',
    'Performance lab',
    'Production EU',
    'Production US',
  ]);
  await expect(page.getByRole('table').getByText('Not bookable')).toHaveCount(
    2,
  );
  await expect(
    page.getByLabel('Environments by tier').getByText('prod'),
  ).toBeVisible();
  await page.screenshot({
    path: `${screenshots}/environments-page.png`,
    fullPage: true,
  });
});

test('book from the Environments tab, hit a conflict, see it on the timeline, release it', async ({
  page,
}) => {
  await signInAsGuest(page);
  await page.goto('/catalog/default/component/payments-api/environments');
  const row = page.getByRole('row', { name: /Checkout QA 2/ });
  await expect(row.getByText('Free')).toBeVisible();

  // Book the next two hours.
  await row.getByRole('button', { name: 'Book' }).click();
  let form = page.getByRole('form', { name: 'Book Checkout QA 2' });
  await form.getByLabel('Title').fill('E2E smoke test');
  await form.getByRole('button', { name: 'Book' }).click();
  await expect(form).toBeHidden();
  await expect(row.getByText(/until/)).toBeVisible();
  await expect(row.getByRole('button', { name: 'Release' })).toBeVisible();

  // The same slot again is refused, naming the booking and offering the next free slot.
  await row.getByRole('button', { name: 'Book' }).click();
  form = page.getByRole('form', { name: 'Book Checkout QA 2' });
  await form.getByLabel('Title').fill('Second try');
  await form.getByRole('button', { name: 'Book' }).click();
  const alert = form.getByRole('alert');
  await expect(alert).toContainText('is already booked in that time');
  await expect(alert).toContainText('E2E smoke test');
  await expect(
    alert.getByRole('button', { name: /Use the next free slot/ }),
  ).toBeVisible();
  await page.screenshot({ path: `${screenshots}/booking-conflict.png` });
  await form.getByRole('button', { name: 'Close' }).click();

  // The booking is on the Environments page's timeline and in My bookings.
  await page.getByRole('link', { name: 'Environments' }).first().click();
  const lane = page.getByRole('group', { name: 'Timeline of Checkout QA 2' });
  await expect(
    lane.getByRole('note', { name: 'Booking E2E smoke test' }),
  ).toBeVisible();
  const mine = page.getByRole('list', { name: 'My bookings' });
  await expect(mine).toContainText('E2E smoke test');
  await page.screenshot({
    path: `${screenshots}/timeline.png`,
    fullPage: true,
  });

  await mine.getByRole('button', { name: 'Release' }).click();
  await expect(
    lane.getByRole('note', { name: 'Booking E2E smoke test' }),
  ).toHaveCount(0);
  await page.goto('/catalog/default/component/payments-api/environments');
  await expect(row.getByText('Free')).toBeVisible();
});

test("the Environments page shows each environment's health from its health check", async ({
  page,
}) => {
  await signInAsGuest(page);
  await page.getByRole('link', { name: 'Environments' }).click();
  const health = (environment: string) =>
    page
      .getByRole('table')
      .first()
      .locator('tbody tr', { hasText: environment })
      .getByRole('img', { name: /^Health: / });

  // The demo probes every 30 s; Checkout QA 2's endpoint answers 503, Performance lab's slowly.
  await expect(async () => {
    await page.reload();
    await expect(health('Checkout QA 2')).toHaveAccessibleName(
      /^Health: (degraded|down) — answered 503/,
      { timeout: 5_000 },
    );
  }).toPass({ timeout: 120_000 });
  await expect(health('Checkout QA 1')).toHaveAccessibleName(/^Health: up/);
  await expect(health('Performance lab')).toHaveAccessibleName(
    /^Health: degraded — answered in \d+ ms/,
  );
  await page.screenshot({
    path: `${screenshots}/environments-health.png`,
    fullPage: true,
  });
});
