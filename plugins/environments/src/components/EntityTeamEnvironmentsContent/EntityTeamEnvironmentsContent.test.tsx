import { Entity } from '@backstage/catalog-model';
import { alertApiRef } from '@backstage/core-plugin-api';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { TeamOverview } from '@internal/plugin-environments-common';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { EnvironmentsApi, environmentsApiRef } from '../../api';
import { fakeEnvironmentsApi, teamOverview } from '../fixtures';
import { EntityTeamEnvironmentsContent } from './EntityTeamEnvironmentsContent';

const group: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'payments-team', namespace: 'default' },
  spec: { type: 'team', children: [] },
};

async function renderTab(api: EnvironmentsApi) {
  const alerts: string[] = [];
  const alertApi = {
    post: (alert: { message: string }) => {
      alerts.push(alert.message);
    },
    alert$: () => ({ subscribe: () => ({ unsubscribe() {} }) }),
  } as unknown as typeof alertApiRef.T;
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [environmentsApiRef, api],
        [alertApiRef, alertApi],
      ]}
    >
      <EntityProvider entity={group}>
        <EntityTeamEnvironmentsContent />
      </EntityProvider>
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
  return { alerts };
}

/** The table rows' text, header first. */
const rows = (name: string) =>
  within(screen.getByRole('table', { name }))
    .getAllByRole('row')
    .map(row => row.textContent);

describe('EntityTeamEnvironmentsContent', () => {
  it("asks for the page's group and shows each section of its overview", async () => {
    const { api } = fakeEnvironmentsApi([]);
    const asked: unknown[] = [];
    await renderTab({
      ...api,
      getTeamOverview: async ref => {
        asked.push(ref);
        return teamOverview;
      },
    });

    expect(
      await screen.findByRole('table', { name: 'Environments the team owns' }),
    ).toBeInTheDocument();
    expect(asked).toEqual([
      { kind: 'Group', namespace: 'default', name: 'payments-team' },
    ]);
    expect(
      screen.getByText(/2 members, as the catalog lists them/),
    ).toBeInTheDocument();

    // Environments: status, health, holder, utilisation.
    const [qa, perf] = rows('Environments the team owns').slice(1);
    expect(qa).toContain('Checkout QA 1');
    expect(qa).toContain('Available');
    expect(qa).toContain('alice');
    expect(qa).toContain('42%');
    expect(perf).toContain('Perf Lab');
    expect(perf).toContain('free');
    expect(perf).toContain('0%');
    expect(
      screen.getByRole('img', { name: 'Health: up, since 3 h ago' }),
    ).toBeInTheDocument();
    expect(
      screen.getAllByRole('progressbar', {
        name: 'Utilisation over the last 7 days',
      })[0],
    ).toHaveAttribute('aria-valuenow', '42');

    // Bookings now and next, with who holds them.
    const now = screen.getByRole('list', { name: 'Now' });
    expect(now).toHaveTextContent('alice: Release 42 regression on');
    const next = screen.getByRole('list', { name: 'Next' });
    expect(next).toHaveTextContent(
      'bob: Load test on perf-lab (waiting for approval)',
    );

    // Waitlist places with positions.
    expect(
      screen.getByRole('list', { name: 'Waitlist places' }),
    ).toHaveTextContent('bob: Release rehearsal on staging-eu (position 2)');

    // SLOs in the order the backend sorted them: least budget first.
    const slos = rows("SLOs of the team's components").slice(1);
    expect(slos[0]).toContain('Payments API');
    expect(slos[0]).toContain('-190.0%');
    expect(slos[0]).toContain('Breached');
    expect(slos[1]).toContain('ledger-service');
    expect(slos[1]).toContain('80.0%');
    expect(slos[1]).toContain('last known');

    // Pipelines: the red one, and the one whose CI system is down.
    const pipelines = rows("Pipeline health of the team's components").slice(1);
    expect(pipelines[0]).toContain('Failing');
    expect(pipelines[0]).toContain('Failed');
    expect(pipelines[1]).toContain('Unknown');
    expect(pipelines[1]).toContain(
      'GitLab could not be reached and nothing is known yet: gitlab.com did not answer within 10000 ms',
    );
  });

  it('says so where a section has nothing to show', async () => {
    const empty: TeamOverview = {
      groupRef: 'group:default/payments-team',
      groupRefs: ['group:default/payments-team', 'group:default/payments-web'],
      memberRefs: [],
      environments: [],
      bookings: { current: [], upcoming: [] },
      waitlist: [],
      slos: {
        groupRef: 'group:default/payments-team',
        items: [],
        problems: [],
      },
      pipelines: [],
    };
    const { api } = fakeEnvironmentsApi([]);
    await renderTab({ ...api, getTeamOverview: async () => empty });

    expect(
      await screen.findByText('The team and its groups own no environments.'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/0 members, including 1 child group/),
    ).toBeInTheDocument();
    expect(
      screen.getByText('No member holds an environment now.'),
    ).toBeInTheDocument();
    expect(screen.getByText('No bookings to come.')).toBeInTheDocument();
    expect(
      screen.getByText('No member is waiting for a slot.'),
    ).toBeInTheDocument();
    expect(
      screen.getByText("The team's components define no SLOs."),
    ).toBeInTheDocument();
    expect(
      screen.getByText('The team owns no components.'),
    ).toBeInTheDocument();
  });

  it('shows titles users typed as literal text', async () => {
    const scriptTitle = '<script>window.injected = true</script>Deploy';
    const { api } = fakeEnvironmentsApi([]);
    await renderTab({
      ...api,
      getTeamOverview: async () => ({
        ...teamOverview,
        bookings: {
          current: [
            { ...teamOverview.bookings.current[0], title: scriptTitle },
          ],
          upcoming: [],
        },
      }),
    });

    expect(await screen.findByRole('list', { name: 'Now' })).toHaveTextContent(
      `alice: ${scriptTitle} on`,
    );
    expect(document.querySelector('script')).toBeNull();
    expect((window as { injected?: boolean }).injected).toBeUndefined();
  });

  it("shows the backend's error", async () => {
    const { api } = fakeEnvironmentsApi(new Error('No group group:default/x'));
    await renderTab(api);

    expect(
      await screen.findByText('Error: No group group:default/x', {
        selector: 'h6',
      }),
    ).toBeInTheDocument();
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });

  it('downloads the team calendar with the signed-in user’s token, and says when it cannot', async () => {
    const saved: Array<{ href: string; download: string }> = [];
    const click = jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(function (this: HTMLAnchorElement) {
        saved.push({ href: this.href, download: this.download });
      });
    const blobs: Blob[] = [];
    URL.createObjectURL = jest.fn((blob: Blob) => {
      blobs.push(blob);
      return 'blob:team-calendar';
    });
    URL.revokeObjectURL = jest.fn();
    const { api } = fakeEnvironmentsApi([]);
    let fail = false;
    const { alerts } = await renderTab({
      ...api,
      getTeamCalendar: async () => {
        if (fail) throw new Error('backend unavailable');
        return 'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n';
      },
    });

    fireEvent.click(
      await screen.findByRole('button', { name: 'Team calendar (.ics)' }),
    );
    await waitFor(() =>
      expect(saved).toEqual([
        { href: 'blob:team-calendar', download: 'payments-team-bookings.ics' },
      ]),
    );
    expect(blobs[0].type).toBe('text/calendar');
    expect(URL.revokeObjectURL).toHaveBeenCalledWith('blob:team-calendar');

    fail = true;
    fireEvent.click(
      screen.getByRole('button', { name: 'Team calendar (.ics)' }),
    );
    await waitFor(() =>
      expect(alerts).toEqual([
        'Could not download the team calendar: backend unavailable',
      ]),
    );
    click.mockRestore();
  });
});
