import { createPermission } from '@backstage/plugin-permission-common';

/** Book an environment. Granted to every signed-in user by the usual policies. */
export const bookingCreatePermission = createPermission({
  name: 'environments.booking.create',
  attributes: { action: 'create' },
});

/**
 * Act on anyone's booking (release or cancel it for them). Requesters and members of the
 * booking's team do not need it for their own bookings.
 */
export const bookingAdminPermission = createPermission({
  name: 'environments.booking.admin',
  attributes: { action: 'update' },
});

/** Create and delete blackouts and maintenance windows. */
export const blackoutManagePermission = createPermission({
  name: 'environments.blackout.manage',
  attributes: { action: 'update' },
});

/** Book an environment during one of its blackouts. */
export const blackoutOverridePermission = createPermission({
  name: 'environments.blackout.override',
  attributes: { action: 'create' },
});

/** Start a pipeline run again from the portal (also needs `environments.pipelines.allowRerun`). */
export const pipelineRerunPermission = createPermission({
  name: 'environments.pipeline.rerun',
  attributes: { action: 'update' },
});

export const environmentsPermissions = [
  bookingCreatePermission,
  bookingAdminPermission,
  blackoutManagePermission,
  blackoutOverridePermission,
  pipelineRerunPermission,
];
