import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();

// Serves the built frontend in production; in development the frontend has its own dev server.
backend.add(import('@backstage/plugin-app-backend'));
backend.add(import('@backstage/plugin-proxy-backend'));

// Sign-in: the guest provider for local use (see app-config.yaml).
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
// A second demo identity, the platform admin (development and the demo only; see README).
backend.add(import('./auth/demoAdminProvider'));

// The catalog holds the environments, components, groups and users.
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));

// Permissions: everyone reads and books; the platform team administers (src/permissions).
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(import('./permissions/module'));

// The event bus the catalog and signals subscribe to.
backend.add(import('@backstage/plugin-events-backend'));

backend.add(import('@backstage/plugin-user-settings-backend'));
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));

// The test environment manager; its CI providers (GitHub and GitLab through `integrations`,
// Jenkins when `environments.jenkins` is configured) and Prometheus as its SLI source.
backend.add(import('@internal/plugin-environments-backend'));
backend.add(import('@internal/plugin-environments-backend-module-github'));
backend.add(import('@internal/plugin-environments-backend-module-gitlab'));
backend.add(import('@internal/plugin-environments-backend-module-jenkins'));
backend.add(import('@internal/plugin-environments-backend-module-prometheus'));
// Generated history for the demo's usage charts; only with environments.demoData: true.
backend.add(import('./demo/module'));

backend.start();
