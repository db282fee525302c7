import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { renderWithApis } from '../../__testUtils__/renderPanel';
import { PipelinesPanel } from './PipelinesPanel';
import { VersionMatrix } from './VersionMatrix';

const render = (element: JSX.Element, demo = false) =>
  renderWithApis(element, { demo });

describe('PipelinesPanel', () => {
  it('shows the latest runs per provider, marks the default branch, and says what is stale', async () => {
    await render(<PipelinesPanel entityRef="component:default/payments-api" />);
    const github = await screen.findByRole('table', {
      name: 'Latest GitHub runs',
    });
    const rows = within(github).getAllByRole('row').slice(1);
    expect(rows.map(row => row.textContent)).toEqual([
      // Workflow (a link out), branch, status, commit, age, duration.
      expect.stringMatching(
        /^CI.*main \(default\)Failedabcdef1 Retry declined cards.*ago6m 0s$/,
      ),
      expect.stringMatching(/^Deploy.*main \(default\)Running/),
      expect.stringMatching(/^CI.*feature\/walletsSucceeded/),
    ]);
    expect(within(rows[0]).getByRole('link')).toHaveAttribute(
      'href',
      'https://github.com/acme/payments-api/actions/runs/12',
    );
    expect(
      screen.getByText(
        /GitLab could not be reached \(gitlab.com did not answer within 10000 ms\)/,
      ),
    ).toBeInTheDocument();
  });

  it('loads the history a page at a time', async () => {
    const fake = await render(
      <PipelinesPanel entityRef="component:default/payments-api" />,
    );
    await screen.findByRole('table', { name: 'Latest GitHub runs' });
    fireEvent.click(screen.getAllByRole('button', { name: 'History' })[0]);
    const history = await screen.findByRole('table', { name: 'Run history' });
    expect(within(history).getAllByRole('row')).toHaveLength(4);
    fireEvent.click(screen.getByRole('button', { name: 'Load more' }));
    await waitFor(() =>
      expect(within(history).getAllByRole('row')).toHaveLength(5),
    );
    expect(within(history).getByText(/An older change/)).toBeInTheDocument();
    expect(fake.runPages).toEqual([
      { provider: 'github', cursor: undefined },
      { provider: 'github', cursor: '2' },
    ]);
  });

  it('offers to re-run failed runs only to those allowed to', async () => {
    await render(<PipelinesPanel entityRef="component:default/payments-api" />);
    await screen.findByRole('table', { name: 'Latest GitHub runs' });
    expect(
      screen.queryByRole('button', { name: 'Re-run' }),
    ).not.toBeInTheDocument();
  });

  it('labels demo data', async () => {
    await render(
      <PipelinesPanel entityRef="component:default/payments-api" />,
      true,
    );
    expect(
      await screen.findByText(
        /Demo data: these pipelines come from local fake servers/,
      ),
    ).toBeInTheDocument();
  });
});

describe('VersionMatrix', () => {
  it('shows what version runs where, and marks drift from production', async () => {
    await render(<VersionMatrix systemRefs={['system:default/checkout']} />);
    const table = await screen.findByRole('table', {
      name: 'Deployed versions',
    });
    const [header, payments, ledger] = within(table).getAllByRole('row');
    expect(header.textContent).toBe(
      'ComponentCheckout QA 1testProduction EUprod',
    );
    expect(payments.textContent).toMatch(
      /^Payments API1\.4\.0.*by alice1\.3\.2/,
    );
    expect(
      within(payments).getByLabelText(
        'Drift: 1.3.2 in the reference environment',
      ),
    ).toBeInTheDocument();
    expect(ledger.textContent).toBe('ledger-service——');
    // A failed sync says which component's versions may be out of date, and why.
    expect(
      screen.getByText(
        /^Deployed versions of ledger-service: Jenkins could not be reached \(jenkins.acme.test answered 503\); showing what it said/,
      ),
    ).toBeInTheDocument();
  });
});
