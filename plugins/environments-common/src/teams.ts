import { CiRun, CiSourceState } from './ci';
import { Booking, Environment, SloRollup, WaitlistEntry } from './types';

/** An environment a team owns, with who holds it now and how much it was used. */
export interface TeamEnvironment {
  environment: Environment;
  /** Every booking holding it now (a shared environment has several). */
  holders: Booking[];
  /**
   * Booked time / bookable time over the last 7 days (0 to 1), counted as the usage analytics
   * count them; absent when it was not bookable at all in that time (not bookable, or blacked
   * out throughout).
   */
  utilisation?: number;
}

/**
 * The pipeline health of a component, from the latest run of each workflow on its default
 * branch: `failing` when one of them failed, else `running` when one is queued or running, else
 * `passing` when one succeeded, else `unknown` (no CI, no runs, or only cancelled or skipped).
 */
export type TeamPipelineStatus = 'failing' | 'running' | 'passing' | 'unknown';

export interface TeamComponentPipelines {
  entityRef: string;
  title?: string;
  status: TeamPipelineStatus;
  /** Per CI provider: how fresh its data is, and the latest default-branch run per workflow. */
  providers: Array<CiSourceState & { defaultBranch?: string; latest: CiRun[] }>;
}

/** Response of `GET /teams/{namespace}/{name}/overview`. */
export interface TeamOverview {
  groupRef: string;
  /** The group and every group below it, the group first. */
  groupRefs: string[];
  /** The members of those groups. */
  memberRefs: string[];
  /** Environments owned by any of the groups. */
  environments: TeamEnvironment[];
  /** Bookings of the members (or made for one of the groups), approved or pending. */
  bookings: {
    /** Holding an environment now. */
    current: Booking[];
    /** Starting later, earliest first, at most 20. */
    upcoming: Booking[];
  };
  /** The members' places on waitlists, waiting or offered, with their positions. */
  waitlist: WaitlistEntry[];
  /** Every SLO of the groups' components, least budget remaining first. */
  slos: SloRollup;
  /** Every component of the groups, failing first. */
  pipelines: TeamComponentPipelines[];
}
