import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { DoraCard } from './DoraCard';

/**
 * The Delivery tab of component, system and group pages: the DORA metrics of the component, or
 * of all the system's or group's components together.
 */
export function EntityDoraContent() {
  const { entity } = useEntity();
  return <DoraCard entityRef={stringifyEntityRef(entity)} />;
}
