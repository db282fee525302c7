import { alertApiRef } from '@backstage/core-plugin-api';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { environmentsApiRef } from '../../api';
import { fakeEnvironmentsApi, qa1, staging } from '../fixtures';
import { EnvironmentStateTab } from './EnvironmentStateTab';
import { PoliciesTab } from './PoliciesTab';

/** A tab with the fake API (QA 1 and Staging EU) and an alert API that records messages. */
async function renderTab(
  element: JSX.Element,
  fake = fakeEnvironmentsApi([
    qa1,
    { ...staging, capacity: 5, overrides: { capacity: 5 } },
  ]),
) {
  const alerts: string[] = [];
  const alertApi = {
    post: (alert: { message: string }) => alerts.push(alert.message),
    alert$: () => ({ subscribe: () => ({ unsubscribe() {} }) }),
  } as unknown as typeof alertApiRef.T;
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [environmentsApiRef, fake.api],
        [alertApiRef, alertApi],
      ]}
    >
      {element}
    </TestApiProvider>,
  );
  return { ...fake, alerts };
}

/** Picks `option` in the MUI select labelled `label` inside `container`. */
function choose(container: HTMLElement, label: RegExp, option: string) {
  fireEvent.mouseDown(within(container).getByLabelText(label));
  fireEvent.click(screen.getByRole('option', { name: option }));
}

describe('PoliciesTab', () => {
  it('lists each scope with its source, own settings and the policy in force', async () => {
    await renderTab(<PoliciesTab />);
    const table = await screen.findByRole('table', {
      name: 'Booking policies',
    });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map(row => row.textContent)).toEqual([
      expect.stringMatching(
        /^GlobalApp config30 days ahead30 days ahead · no approvalEdit$/,
      ),
      expect.stringMatching(
        /^Tier stagingSet hereby user:default\/dave, .+at most 8 h · approvalat most 8 h · 30 days ahead · approvalEditReset$/,
      ),
      expect.stringMatching(
        /^resource:default\/checkout-qa-1tier testNot set—30 days ahead · no approvalEdit$/,
      ),
    ]);
  });

  it("shows the backend's reason under the field it names, and saves once corrected", async () => {
    const fake = await renderTab(<PoliciesTab />);
    const save = fake.api.putPolicy;
    fake.api.putPolicy = async (target, update) => {
      if ((update.policy.maxDurationHours ?? 1) <= 0) {
        // As the client throws a 400: the backend's message is the cause.
        throw Object.assign(new Error('Request failed with 400'), {
          cause: { message: 'policy.maxDurationHours: must be more than 0' },
        });
      }
      return save(target, update);
    };
    fireEvent.click(
      await screen.findByRole('button', {
        name: 'Edit the policy of Tier staging',
      }),
    );
    const form = await screen.findByRole('form', {
      name: 'Booking policy: Tier staging',
    });
    const duration = within(form).getByLabelText(/Longest booking/);
    expect(duration).toHaveValue(8);
    fireEvent.change(duration, { target: { value: '0' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save policy' }));
    expect(await within(form).findByText('must be more than 0')).toBeVisible();
    expect(duration).toHaveAttribute('aria-invalid', 'true');

    fireEvent.change(duration, { target: { value: '6' } });
    choose(form, /Owner approval/, 'Not required');
    fireEvent.change(within(form).getByLabelText(/Reason/), {
      target: { value: 'Release week' },
    });
    fireEvent.click(within(form).getByRole('button', { name: 'Save policy' }));

    await waitFor(() =>
      expect(fake.alerts).toEqual(['Saved the booking policy of Tier staging']),
    );
    expect(fake.adminCalls).toContainEqual([
      'putPolicy',
      { scope: 'tier', key: 'staging' },
      {
        policy: { maxDurationHours: 6, requiresApproval: false },
        reason: 'Release week',
      },
    ]);
    expect(screen.queryByRole('form')).not.toBeInTheDocument();
  });

  it('resets a stored policy to the configured one', async () => {
    const fake = await renderTab(<PoliciesTab />);
    fireEvent.click(
      await screen.findByRole('button', {
        name: 'Reset the policy of Tier staging',
      }),
    );
    const form = await screen.findByRole('form', {
      name: 'Reset the policy of Tier staging?',
    });
    expect(
      within(form).getByText(
        'The configured policy applies again: at most 24 h.',
      ),
    ).toBeInTheDocument();
    fireEvent.click(within(form).getByRole('button', { name: 'Reset' }));
    await waitFor(() =>
      expect(fake.adminCalls).toContainEqual([
        'resetPolicy',
        { scope: 'tier', key: 'staging' },
      ]),
    );
    expect(fake.alerts).toEqual(['Reset the booking policy of Tier staging']);
    // Only stored policies can be reset.
    expect(
      screen.queryByRole('button', { name: 'Reset the policy of Global' }),
    ).not.toBeInTheDocument();
  });
});

describe('EnvironmentStateTab', () => {
  it('shows status, bookability, capacity and slots, overrides marked', async () => {
    await renderTab(<EnvironmentStateTab />);
    const table = await screen.findByRole('table', {
      name: 'Environment state',
    });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map(row => row.textContent)).toEqual([
      'Checkout QA 1testAvailableYes1—Edit',
      'Staging EUstagingIn maintenanceYes5override—Edit',
    ]);
  });

  it('puts an environment into maintenance with a reason, sending only what changed', async () => {
    const fake = await renderTab(<EnvironmentStateTab />);
    fireEvent.click(
      await screen.findByRole('button', {
        name: 'Edit the state of Checkout QA 1',
      }),
    );
    const form = await screen.findByRole('form', {
      name: 'State of Checkout QA 1',
    });
    const save = within(form).getByRole('button', { name: 'Save' });
    // Nothing changed yet.
    expect(save).toBeDisabled();
    choose(form, /Status/, 'In maintenance');
    fireEvent.change(within(form).getByLabelText(/Reason/), {
      target: { value: 'Disk replacement' },
    });
    fireEvent.click(save);

    await waitFor(() =>
      expect(fake.alerts).toEqual(['Saved the state of Checkout QA 1']),
    );
    expect(fake.adminCalls).toContainEqual([
      'updateEnvironmentState',
      'resource:default/checkout-qa-1',
      { status: 'maintenance', reason: 'Disk replacement' },
    ]);
  });

  it('clears a capacity override and sets component slots', async () => {
    const fake = await renderTab(<EnvironmentStateTab />);
    fireEvent.click(
      await screen.findByRole('button', {
        name: 'Edit the state of Staging EU',
      }),
    );
    const form = await screen.findByRole('form', {
      name: 'State of Staging EU',
    });
    fireEvent.change(within(form).getByLabelText(/Capacity/), {
      target: { value: '' },
    });
    fireEvent.click(
      within(form).getByLabelText("Override the catalog's component slots"),
    );
    fireEvent.change(within(form).getByLabelText('Component slots'), {
      target: { value: 'web, payments-api' },
    });
    fireEvent.click(within(form).getByRole('button', { name: 'Save' }));

    await waitFor(() =>
      expect(fake.adminCalls).toContainEqual([
        'updateEnvironmentState',
        'resource:default/staging-eu',
        { capacity: null, componentSlots: ['web', 'payments-api'] },
      ]),
    );
  });
});
