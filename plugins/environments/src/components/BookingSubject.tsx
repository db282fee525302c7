import { EntityRefLink } from '@backstage/plugin-catalog-react';

/** "<title> on <environment>", as booking and waitlist lists show it. */
export function BookingSubject(props: {
  title: string;
  environmentRef: string;
}) {
  return (
    <>
      {props.title} on{' '}
      <EntityRefLink entityRef={props.environmentRef} defaultKind="resource" />
    </>
  );
}

/**
 * The message to show for a failed call: the backend's own reason when the client wrapped it in
 * a ResponseError, else the error's message.
 */
export function errorMessage(error: unknown): string {
  const cause = (error as { cause?: { message?: string } }).cause;
  return cause?.message ?? (error as Error).message;
}
