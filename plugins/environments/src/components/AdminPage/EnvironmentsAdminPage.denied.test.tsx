import { screen } from '@testing-library/react';
import { renderWithApis } from '../../__testUtils__/renderPanel';
import { EnvironmentsAdminPage } from './EnvironmentsAdminPage';
import { EnvironmentsAdminSidebarItem } from './EnvironmentsAdminSidebarItem';
import { SidebarPage } from '@backstage/core-components';

// Its own file: usePermission caches the answer for the whole file.
describe('EnvironmentsAdminPage without the admin permission', () => {
  it('says it is not allowed and shows none of the tabs', async () => {
    const fake = await renderWithApis(<EnvironmentsAdminPage />, {
      allowed: false,
    });
    expect(
      await screen.findByText(
        'Not allowed: the administration page needs the environments admin permission',
      ),
    ).toBeInTheDocument();
    expect(screen.queryByRole('tab')).not.toBeInTheDocument();
    expect(fake.calls).toEqual([]);
    expect(fake.adminCalls).toEqual([]);
  });

  it('hides the sidebar link', async () => {
    await renderWithApis(
      <SidebarPage>
        <EnvironmentsAdminSidebarItem />
        <span>sidebar rendered</span>
      </SidebarPage>,
      { allowed: false },
    );
    expect(await screen.findByText('sidebar rendered')).toBeInTheDocument();
    expect(screen.queryByText('Environments admin')).not.toBeInTheDocument();
  });
});
