/** Runtime status the plugin keeps for an environment. */
export type EnvironmentStatus = 'available' | 'maintenance' | 'retired';

/** An environment as the API returns it: catalog facts merged with the plugin's stored state. */
export interface Environment {
  /** Entity ref of the Resource, e.g. `resource:default/qa-1`. */
  entityRef: string;
  name: string;
  namespace: string;
  title?: string;
  description?: string;
  /** Tier from the tier annotation; `unknown` when the annotation is absent. */
  tier: string;
  /** Entity ref of the owning group (the environment's administrators). */
  ownerRef?: string;
  /** Entity ref of the system the environment belongs to. */
  systemRef?: string;
  bookable: boolean;
  /** 1 = exclusive; more = that many bookings may hold it at once. */
  capacity: number;
  healthCheckUrl?: string;
  status: EnvironmentStatus;
  /** When the plugin first stored this environment; absent until the catalog sync has seen it. */
  firstSeenAt?: string;
  /** When the status last changed; absent until the catalog sync has seen it. */
  statusChangedAt?: string;
}

/** Response of `GET /environments`. */
export interface EnvironmentList {
  items: Environment[];
}
