import { Entity } from '@backstage/catalog-model';

/** Entities that get the Environments and SLOs tabs: components. */
export function isEnvironmentsAvailable(entity: Entity): boolean {
  return entity.kind.toLocaleLowerCase('en-US') === 'component';
}
