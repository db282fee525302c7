import { defineConfig } from '@playwright/test';

// Debian's Chromium; Playwright never downloads a browser here.
const chromium =
  process.env.PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH ?? '/usr/bin/chromium';
const repoRoot = `${__dirname}/../..`;
const prometheusPort = 9091;

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

  // The real backend (7007), frontend dev server (3000) and a Prometheus with the demo metrics
  // (9091), started and stopped by Playwright.
  webServer: [
    {
      command: `node --experimental-strip-types --disable-warning=MODULE_TYPELESS_PACKAGE_JSON plugins/environments-backend-module-prometheus/scripts/prometheus-demo.mjs ${prometheusPort}`,
      cwd: repoRoot,
      url: `http://127.0.0.1:${prometheusPort}/-/ready`,
      reuseExistingServer: !process.env.CI,
      timeout: 180_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
    {
      command: 'yarn workspace backend start',
      cwd: repoRoot,
      env: {
        // A fresh in-memory database per run, so bookings left by a previous run cannot collide.
        APP_CONFIG_backend_database_connection: '":memory:"',
        APP_CONFIG_environments_prometheus_baseUrl: `http://127.0.0.1:${prometheusPort}`,
      },
      url: 'http://127.0.0.1:7007/.backstage/health/v1/readiness',
      reuseExistingServer: !process.env.CI,
      timeout: 300_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
    {
      command: 'yarn workspace app start',
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
