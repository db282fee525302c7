import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { Blackout, Booking } from '@internal/plugin-environments-common';
import { screen } from '@testing-library/react';
import { environmentsApiRef } from '../api';
import { EnvironmentsPage } from './EnvironmentsPage';
import { booking, fakeEnvironmentsApi, qa1 } from './fixtures';

// What users can type into a booking's or a blackout's title: the API stores it as sent.
const scriptTitle = '<script>window.injected = true</script>Deploy';
const imageTitle = '<img src=x onerror="window.injected = true">Soak';
const svgTitle = '"><svg onload="window.injected = true">Freeze';

describe('text from users on the Environments page', () => {
  afterEach(() => {
    delete (window as { injected?: boolean }).injected;
  });

  it('shows titles with HTML as literal text and creates no element from them', async () => {
    const soon = Date.now() + 3600_000;
    const at = (hours: number) =>
      new Date(soon + hours * 3600_000).toISOString();
    const hostile: Booking[] = [
      {
        ...booking,
        id: 'b-script',
        title: scriptTitle,
        status: 'pending',
        start: at(0),
        end: at(2),
      },
      {
        ...booking,
        id: 'b-image',
        title: imageTitle,
        start: at(3),
        end: at(5),
      },
    ];
    const fake = fakeEnvironmentsApi([qa1], undefined, hostile);
    const blackout: Blackout = {
      id: 'x-1',
      scope: 'environment',
      scopeKey: qa1.entityRef,
      kind: 'blackout',
      title: svgTitle,
      reason: scriptTitle,
      start: at(6),
      end: at(8),
      createdByRef: 'user:default/admin',
      createdAt: booking.createdAt,
    };
    fake.api.listBlackouts = async () => [blackout];

    const { container } = await renderInTestApp(
      <TestApiProvider apis={[[environmentsApiRef, fake.api]]}>
        <EnvironmentsPage />
      </TestApiProvider>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );

    // The titles appear as typed: on the timeline and in the approvals list.
    expect(
      await screen.findByRole('note', { name: `Booking ${scriptTitle}` }),
    ).toHaveTextContent(scriptTitle);
    expect(
      screen.getByRole('note', { name: `Booking ${imageTitle}` }),
    ).toHaveTextContent(imageTitle);
    expect(
      await screen.findByRole('list', {
        name: 'Bookings waiting for approval',
      }),
    ).toHaveTextContent(`${scriptTitle} on`);
    // The blackout's title, as the tooltip of its stretch on the timeline.
    expect(screen.getByTitle(`blackout: ${svgTitle}`)).toBeInTheDocument();

    // Nothing of the markup became an element, and none of it ran.
    expect(
      container.querySelectorAll('script, img[src="x"], svg[onload]'),
    ).toHaveLength(0);
    expect(container.querySelector('[onerror], [onload]')).toBe(null);
    expect((window as { injected?: boolean }).injected).toBeUndefined();
  });
});
