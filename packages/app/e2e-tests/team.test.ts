import { expect, test } from '@playwright/test';
import { screenshots, signInAsGuest } from './helpers';

// The guest user is a member of the payments team (examples/org.yaml), which owns the Payments
// sandbox environment and the payments-api, checkout-web and ledger-service components.
test("the payments team's Group page tab shows the team's environment and a member's booking", async ({
  page,
}) => {
  // Pages load for the first time in a cold dev server: more than the default allows.
  test.slow();
  await signInAsGuest(page);

  // Book the team's sandbox for the next two hours as the guest, through the API with the
  // guest's token (the browser context holds the sign-in's refresh cookie).
  const backend = 'http://localhost:7007/api';
  const session = await page.request.get(`${backend}/auth/guest/refresh`, {
    headers: { 'X-Requested-With': 'XMLHttpRequest' },
  });
  expect(session.ok()).toBe(true);
  const { token } = (await session.json()).backstageIdentity;
  const now = Date.now();
  const booked = await page.request.post(`${backend}/environments/bookings`, {
    headers: { Authorization: `Bearer ${token}` },
    data: {
      environmentRef: 'resource:default/payments-sandbox',
      title: 'Team tab card-network trial',
      purpose: 'testing',
      start: new Date(now).toISOString(),
      end: new Date(now + 2 * 3600_000).toISOString(),
    },
  });
  expect(booked.status()).toBe(201);

  await page.goto('/catalog/default/group/payments-team');
  await page.getByRole('tab', { name: 'Environments' }).click();
  await expect(page).toHaveURL(
    /\/catalog\/default\/group\/payments-team\/environments$/,
  );

  // The environment the team owns, held by the guest.
  const owned = page.getByRole('table', { name: 'Environments the team owns' });
  const sandbox = owned.getByRole('row', { name: /Payments sandbox/ });
  await expect(sandbox).toContainText('Available');
  // The holder's link shows the user's name, or the display name once the catalog answered.
  await expect(sandbox).toContainText(/guest until/i);
  await expect(
    sandbox.getByRole('progressbar', {
      name: 'Utilisation over the last 7 days',
    }),
  ).toBeVisible();

  // The booking among the members' bookings held now.
  await expect(page.getByRole('list', { name: 'Now' })).toContainText(
    'Team tab card-network trial on',
  );

  // The team's components: their SLOs and their pipelines on the default branch.
  await expect(
    page
      .getByRole('table', { name: "SLOs of the team's components" })
      .getByRole('row', { name: /Payments API/ })
      .first(),
  ).toBeVisible();
  const pipelines = page.getByRole('table', {
    name: "Pipeline health of the team's components",
  });
  for (const component of ['Payments API', 'Checkout web', 'Ledger service']) {
    await expect(
      pipelines.getByRole('row', { name: new RegExp(component) }),
    ).toBeVisible();
  }
  await page.screenshot({
    path: `${screenshots}/team-tab.png`,
    fullPage: true,
  });

  // Engineering, the parent group, sees its child team's booking too.
  await page.goto('/catalog/default/group/engineering/environments');
  await expect(page.getByRole('list', { name: 'Now' })).toContainText(
    'Team tab card-network trial on',
  );
});
