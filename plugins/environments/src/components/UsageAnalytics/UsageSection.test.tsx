import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { environmentsApiRef } from '../../api';
import { fakeEnvironmentsApi, qa1 } from '../fixtures';
import { UsageSection } from './UsageSection';

const DAY = 24 * 3600_000;
const days = (query: { from: string; to: string }) =>
  (Date.parse(query.to) - Date.parse(query.from)) / DAY;

describe('UsageSection', () => {
  it('shows the figures per tier and per environment, over the period picked', async () => {
    const fake = fakeEnvironmentsApi([qa1]);
    await renderInTestApp(
      <TestApiProvider apis={[[environmentsApiRef, fake.api]]}>
        <UsageSection />
      </TestApiProvider>,
    );

    const tiers = await screen.findByRole('table', { name: 'Tier' });
    // test tier: 94% available, 38% used, 12 h idle, 1.5 h mean wait over 2 approvals.
    expect(
      within(tiers).getAllByRole('row')[1].textContent?.replace(/\s+/g, ' '),
    ).toBe('test (2)94%38%12 h1.5 h (2)3 (2 conflict, 1 policy)');
    const environments = screen.getByRole('table', { name: 'Environment' });
    expect(within(environments).getByText('QA 1')).toBeInTheDocument();
    // qa-2 was never probed: its availability is unknown, not 0%.
    const qa2 = within(environments)
      .getByText('resource:default/qa-2')
      .closest('tr')!;
    expect(within(qa2).getAllByRole('cell')[1]).toHaveTextContent('—');
    expect(fake.usageQueries.map(days)).toEqual([30]);

    fireEvent.mouseDown(screen.getByRole('button', { name: /Period/ }));
    fireEvent.click(await screen.findByRole('option', { name: 'Last 7 days' }));
    await waitFor(() => expect(fake.usageQueries.map(days)).toEqual([30, 7]));
  });

  it('downloads the CSV of the period shown', async () => {
    const fake = fakeEnvironmentsApi([qa1]);
    const createObjectURL = jest.fn(() => 'blob:usage');
    const revokeObjectURL = jest.fn();
    Object.assign(URL, { createObjectURL, revokeObjectURL });
    const click = jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(() => {});
    await renderInTestApp(
      <TestApiProvider apis={[[environmentsApiRef, fake.api]]}>
        <UsageSection />
      </TestApiProvider>,
    );
    await screen.findByRole('table', { name: 'Tier' });
    fireEvent.click(screen.getByRole('button', { name: 'CSV' }));
    await waitFor(() => expect(click).toHaveBeenCalled());
    expect(fake.usageQueries).toHaveLength(2);
    expect(fake.usageQueries[1]).toEqual(fake.usageQueries[0]);
    expect(revokeObjectURL).toHaveBeenCalledWith('blob:usage');
    click.mockRestore();
  });
});
