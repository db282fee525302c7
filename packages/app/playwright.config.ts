import { defineConfig } from '@playwright/test';

// Debian's Chromium; Playwright never downloads a browser here.
const chromium =
  process.env.PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH ?? '/usr/bin/chromium';
const repoRoot = `${__dirname}/../..`;
// Runs the TypeScript test utilities behind the demo servers directly.
const nodeTs =
  'node --experimental-strip-types --disable-warning=MODULE_TYPELESS_PACKAGE_JSON';

export default defineConfig({
  testDir: 'e2e-tests',
  timeout: 90_000,
  expect: { timeout: 20_000 },
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 1,
  reporter: [
    ['list'],
    ['html', { open: 'never', outputFolder: `${repoRoot}/e2e-test-report` }],
  ],
  outputDir: `${repoRoot}/test-results/e2e`,

  // The real backend (7007) and frontend dev server (3000) on the demo configuration, with the
  // demo's Prometheus (9090) and fake CI servers (7011); all started and stopped by Playwright.
  webServer: [
    {
      command: `${nodeTs} plugins/environments-backend-module-prometheus/scripts/prometheus-demo.mjs 9090`,
      cwd: repoRoot,
      url: 'http://127.0.0.1:9090/-/ready',
      reuseExistingServer: !process.env.CI,
      timeout: 180_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
    {
      command: `${nodeTs} scripts/fake-ci-server.mjs 7011`,
      cwd: repoRoot,
      url: 'http://127.0.0.1:7011/ready',
      reuseExistingServer: !process.env.CI,
      timeout: 60_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
    {
      command:
        'yarn workspace backend start --config ../../app-config.yaml --config ../../app-config.demo.yaml',
      cwd: repoRoot,
      // A fresh in-memory database per run, so bookings left by a previous run cannot collide.
      env: { APP_CONFIG_backend_database_connection: '":memory:"' },
      url: 'http://127.0.0.1:7007/.backstage/health/v1/readiness',
      reuseExistingServer: !process.env.CI,
      timeout: 300_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
    {
      command:
        'yarn workspace app start --config ../../app-config.yaml --config ../../app-config.demo.yaml',
      cwd: repoRoot,
      url: 'http://localhost:3000',
      reuseExistingServer: !process.env.CI,
      timeout: 300_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
  ],

  use: {
    baseURL: 'http://localhost:3000',
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    viewport: { width: 1400, height: 900 },
    launchOptions: {
      executablePath: chromium,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
});
