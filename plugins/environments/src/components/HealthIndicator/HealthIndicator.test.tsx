import { renderInTestApp } from '@backstage/test-utils';
import { EnvironmentHealth } from '@internal/plugin-environments-common';
import { fireEvent, screen } from '@testing-library/react';
import { HealthIndicator } from './HealthIndicator';

const minutesAgo = (minutes: number) =>
  new Date(Date.now() - minutes * 60_000).toISOString();

describe('HealthIndicator', () => {
  it.each<[EnvironmentHealth, string, string]>([
    [
      { status: 'up', since: minutesAgo(180), checkedAt: minutesAgo(1) },
      'Up',
      'Health: up, since 3 h ago',
    ],
    [
      {
        status: 'degraded',
        reason: 'answered in 2300 ms',
        since: minutesAgo(5),
        checkedAt: minutesAgo(1),
      },
      'Degraded',
      'Health: degraded — answered in 2300 ms, since 5 min ago',
    ],
    [
      {
        status: 'down',
        reason: 'answered 503',
        since: minutesAgo(10),
        checkedAt: minutesAgo(1),
      },
      'Down',
      'Health: down — answered 503, since 10 min ago',
    ],
    [
      { status: 'unknown', reason: 'no probe for 15 min' },
      'Unknown',
      'Health: unknown — no probe for 15 min',
    ],
  ])('shows %j as %s with its reason', async (health, label, summary) => {
    await renderInTestApp(<HealthIndicator health={health} />);
    const chip = screen.getByRole('img', { name: summary });
    expect(chip).toHaveTextContent(label);
  });

  it('tells the reason, since when and the last check in its tooltip', async () => {
    const since = minutesAgo(10);
    await renderInTestApp(
      <HealthIndicator
        health={{
          status: 'down',
          reason: 'connection refused',
          since,
          checkedAt: minutesAgo(2),
        }}
      />,
    );
    fireEvent.mouseOver(screen.getByRole('img'));

    const tooltip = await screen.findByRole('tooltip');
    expect(tooltip).toHaveTextContent('Health: Down');
    expect(tooltip).toHaveTextContent('connection refused');
    expect(tooltip).toHaveTextContent(/Since .+ \(10 min ago\)/);
    expect(tooltip).toHaveTextContent('Last checked 2 min ago');
  });

  it('says when the environment was never checked', async () => {
    await renderInTestApp(<HealthIndicator health={{ status: 'unknown' }} />);
    fireEvent.mouseOver(screen.getByRole('img', { name: 'Health: unknown' }));
    expect(await screen.findByRole('tooltip')).toHaveTextContent(
      'Not checked yet',
    );
  });

  it('shows only the icon when compact, with the same accessible label', async () => {
    await renderInTestApp(
      <HealthIndicator
        compact
        health={{ status: 'down', reason: 'answered 500' }}
      />,
    );
    const icon = screen.getByRole('img', {
      name: 'Health: down — answered 500',
    });
    expect(icon).toHaveTextContent('');
    expect(icon.querySelector('svg')).not.toBeNull();
  });

  it('renders nothing without health', async () => {
    const { container } = await renderInTestApp(
      <div data-testid="cell">
        <HealthIndicator health={undefined} />
      </div>,
    );
    expect(screen.getByTestId('cell')).toBeEmptyDOMElement();
    expect(container.querySelector('[role="img"]')).toBeNull();
  });
});
