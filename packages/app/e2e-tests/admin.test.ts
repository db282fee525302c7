import { expect, test } from '@playwright/test';
import { screenshots, signInAsAdmin, signInAsGuest } from './helpers';

test('a non-admin cannot open the administration page', async ({ page }) => {
  await signInAsGuest(page);
  await page.goto('/environments-admin');

  await expect(
    page.getByText(
      'Not allowed: the administration page needs the environments admin permission',
    ),
  ).toBeVisible();
  await expect(page.getByRole('tab')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'New blackout' })).toHaveCount(
    0,
  );
  // No sidebar link for the guest either.
  await expect(
    page.getByRole('link', { name: 'Environments admin' }),
  ).toHaveCount(0);
  await page.screenshot({
    path: `${screenshots}/admin-not-allowed.png`,
    fullPage: true,
  });
});

test('an admin creates a blackout and sees it shaded on the timeline', async ({
  page,
}) => {
  await signInAsAdmin(page);
  await page.getByRole('link', { name: 'Environments admin' }).click();
  await page.getByRole('tab', { name: 'Blackouts' }).click();
  await page.getByRole('button', { name: 'New blackout' }).click();

  // Tomorrow, 10:00 to 14:00 in the browser's time zone: inside the timeline's week.
  const day = new Date();
  day.setDate(day.getDate() + 1);
  const local = (hour: number) =>
    `${day.getFullYear()}-${String(day.getMonth() + 1).padStart(
      2,
      '0',
    )}-${String(day.getDate()).padStart(2, '0')}T${String(hour).padStart(
      2,
      '0',
    )}:00`;
  const title = `Discovery freeze ${Date.now()}`;

  const form = page.getByRole('form', { name: 'New blackout' });
  await form.locator('#blackout-scope-key').click();
  await page.getByRole('option', { name: 'Discovery QA' }).click();
  await form.locator('#blackout-title').fill(title);
  await form.locator('#blackout-start').fill(local(10));
  await form.locator('#blackout-end').fill(local(14));
  await form.locator('#blackout-reason').fill('Search index rebuild');
  await form.getByRole('button', { name: 'Create' }).click();

  const row = page
    .getByRole('table', { name: 'Blackouts and maintenance windows' })
    .getByRole('row', { name: new RegExp(title) });
  await expect(row).toContainText('Discovery QA');
  await page.screenshot({
    path: `${screenshots}/admin-blackouts.png`,
    fullPage: true,
  });

  await page.getByRole('link', { name: 'Environments', exact: true }).click();
  const track = page.getByRole('group', { name: 'Timeline of Discovery QA' });
  await expect(track.getByTitle(`blackout: ${title}`)).toBeVisible();
  // Shaded on that environment's row only.
  await expect(
    page
      .getByRole('group', { name: 'Timeline of Discovery staging' })
      .getByTitle(`blackout: ${title}`),
  ).toHaveCount(0);
  await track.scrollIntoViewIfNeeded();
  await page.screenshot({
    path: `${screenshots}/admin-blackout-timeline.png`,
    fullPage: true,
  });
});
