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
