import { screen } from '@testing-library/react';
import { renderWithApis } from '../../__testUtils__/renderPanel';
import { EnvironmentsAdminPage } from './EnvironmentsAdminPage';

// Its own file: usePermission caches the answer for the whole file.
describe('EnvironmentsAdminPage for administrators', () => {
  it('shows the tabs, the policies first', async () => {
    const fake = await renderWithApis(<EnvironmentsAdminPage />, {
      allowed: true,
    });
    expect(
      await screen.findByRole('table', { name: 'Booking policies' }),
    ).toBeInTheDocument();
    expect(screen.getAllByRole('tab').map(tab => tab.textContent)).toEqual(
      expect.arrayContaining(['Policies', 'Environments']),
    );
    expect(fake.adminCalls).toEqual([['listPolicyScopes']]);
    expect(screen.queryByText(/Not allowed/)).not.toBeInTheDocument();
  });
});
