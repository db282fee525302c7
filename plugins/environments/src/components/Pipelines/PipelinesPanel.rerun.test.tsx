import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { renderWithApis } from '../../__testUtils__/renderPanel';
import { PipelinesPanel } from './PipelinesPanel';

// Its own file: usePermission caches the answer for the whole file.
describe('PipelinesPanel for those allowed to re-run', () => {
  it('re-runs a failed run and says so', async () => {
    const fake = await renderWithApis(
      <PipelinesPanel entityRef="component:default/payments-api" />,
      { allowed: true },
    );
    const github = await screen.findByRole('table', {
      name: 'Latest GitHub runs',
    });
    fireEvent.click(
      await within(github).findByRole('button', { name: 'Re-run' }),
    );
    await waitFor(() => expect(fake.reruns).toEqual(['github:12']));
    expect(fake.alerts).toEqual(['GitHub is running CI again']);
  });
});
