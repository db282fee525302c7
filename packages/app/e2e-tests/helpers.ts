import { expect, Page } from '@playwright/test';

/** Where the tests leave screenshots; copies of the current ones are kept in docs/. */
export const screenshots = `${__dirname}/../../../test-results/screenshots`;

/** Signs in with the guest provider and waits until the app has the identity. */
export async function signInAsGuest(page: Page) {
  await page.goto('/');
  const enter = page.getByRole('button', { name: 'Enter' });
  await expect(enter).toBeVisible();
  await enter.click();
  await expect(page.getByRole('link', { name: 'Environments' })).toBeVisible();
}

/**
 * Signs in as the demo's platform admin (user:default/admin, through the demo-admin provider
 * the demo configuration adds) and waits until the app has the identity. That sign-in makes one
 * request; if it meets the backend restarting (the dev server restarts when a backend file
 * changes: 503 "Service is shutting down"), the page says to reload, and so does this.
 */
export async function signInAsAdmin(page: Page) {
  await page.goto('/');
  await page
    .getByRole('button', { name: 'Sign in as the platform admin (demo)' })
    .click();
  const environments = page.getByRole('link', {
    name: 'Environments',
    exact: true,
  });
  const notSignedIn = page.getByText('You do not appear to be signed in');
  await expect(async () => {
    if (await notSignedIn.isVisible()) await page.reload();
    await expect(environments).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: 45_000, intervals: [5_000] });
}
