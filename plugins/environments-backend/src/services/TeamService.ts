import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_SLO_FILES,
  BookingStatus,
  Environment,
  TeamComponentPipelines,
  TeamEnvironment,
  TeamOverview,
  TeamPipelineStatus,
} from '@internal/plugin-environments-common';
import { Knex } from 'knex';
import {
  listHoldingBookings,
  listTeamBookings,
} from '../database/bookingsStore';
import { listBlackouts } from '../database/blackoutsStore';
import { appliesTo } from '../domain/blackouts';
import { asInterval, isCurrent, toBookingResponse } from '../domain/bookings';
import { defaultBranchHealth } from '../domain/pipelineHealth';
import { utilisation } from '../domain/utilisation';
import { eachWithLimit } from './eachWithLimit';
import { EnvironmentsService } from './EnvironmentsService';
import { PipelinesService } from './PipelinesService';
import { SloService } from './SloService';
import { ownedComponents, resolveTeam } from './teams';
import { WaitlistService } from './WaitlistService';

/** The period utilisation is measured over, up to now. */
const UTILISATION_WINDOW_MS = 7 * 24 * 3600_000;
/** How many of the members' next bookings are shown. */
const UPCOMING_BOOKINGS = 20;
/** Components whose pipelines are read at once: each may wait on a slow CI system. */
const PIPELINE_CONCURRENCY = 4;
/** Bookings that held their environment for the time they covered (a release ends it early). */
const HELD: BookingStatus[] = ['approved', 'released', 'expired'];

const PIPELINE_ORDER: TeamPipelineStatus[] = [
  'failing',
  'running',
  'unknown',
  'passing',
];

/**
 * What a team lead looks at on the Group page: the group's environments, its members' bookings
 * and waitlist places, and its components' SLOs and pipelines. Who belongs to the team comes
 * from the catalog every time: the group, every group below it, and their members.
 */
export class TeamService {
  constructor(
    private readonly deps: {
      db: Knex;
      catalog: CatalogService;
      environments: EnvironmentsService;
      waitlist: WaitlistService;
      slos: SloService;
      pipelines: PipelinesService;
    },
  ) {}

  /** NotFoundError when the catalog has no such group for the caller. */
  async overview(
    groupRef: string,
    credentials: BackstageCredentials,
    now = new Date(),
  ): Promise<TeamOverview> {
    const { db, catalog } = this.deps;
    const team = await resolveTeam(catalog, groupRef, credentials);
    const [environments, components, bookings, waitlist] = await Promise.all([
      this.deps.environments.list(credentials, { ownerRefs: team.groupRefs }),
      ownedComponents(catalog, team.groupRefs, credentials),
      listTeamBookings(
        db,
        { requesterRefs: team.memberRefs, teamRefs: team.groupRefs },
        now,
        UPCOMING_BOOKINGS,
      ),
      // Without members there is no one to look up (and no queue positions to count).
      team.memberRefs.length > 0
        ? this.deps.waitlist.list({
            requesterRefs: team.memberRefs,
            statuses: ['waiting', 'offered'],
          })
        : [],
    ]);
    const [owned, slos, pipelines] = await Promise.all([
      this.withUsage(environments, now),
      this.deps.slos.rollupOf(
        team.groupRef,
        components.filter(c => c.metadata.annotations?.[ANNOTATION_SLO_FILES]),
        now.getTime(),
      ),
      this.pipelines(components),
    ]);
    return {
      groupRef: team.groupRef,
      groupRefs: team.groupRefs,
      memberRefs: team.memberRefs,
      environments: owned,
      bookings: {
        current: bookings.current.map(toBookingResponse),
        upcoming: bookings.upcoming.map(toBookingResponse),
      },
      waitlist,
      slos,
      pipelines,
    };
  }

  /** Each environment with the bookings holding it now and its utilisation of the last 7 days. */
  private async withUsage(
    environments: Environment[],
    now: Date,
  ): Promise<TeamEnvironment[]> {
    const window = {
      start: now.getTime() - UTILISATION_WINDOW_MS,
      end: now.getTime(),
    };
    const refs = environments.map(e => e.entityRef);
    const [held, blackouts] = await Promise.all([
      // A millisecond past now, so a booking starting this instant counts as holding it.
      listHoldingBookings(
        this.deps.db,
        refs,
        new Date(window.start),
        new Date(window.end + 1),
        HELD,
      ),
      listBlackouts(this.deps.db, {
        environmentRefs: refs,
        tiers: [...new Set(environments.map(e => e.tier))],
        from: new Date(window.start),
        to: now,
      }),
    ]);
    return environments.map(environment => {
      const bookings = held.filter(
        b => b.environmentRef === environment.entityRef,
      );
      return {
        environment,
        holders: bookings.filter(b => isCurrent(b, now)).map(toBookingResponse),
        utilisation: environment.bookable
          ? utilisation({
              held: bookings.map(asInterval),
              blackouts: blackouts
                .filter(b => appliesTo(b, environment))
                .map(asInterval),
              capacity: environment.capacity,
              window,
            })
          : undefined,
      };
    });
  }

  /** Every component's default-branch pipeline health, failing first. */
  private async pipelines(
    components: Entity[],
  ): Promise<TeamComponentPipelines[]> {
    const rows: TeamComponentPipelines[] = [];
    await eachWithLimit(components, PIPELINE_CONCURRENCY, async component => {
      // Fail-soft per provider already: a CI system that is down gives its last known runs,
      // marked stale, or none, marked unavailable.
      const summary = await this.deps.pipelines.summaryOf(component);
      rows.push({
        entityRef: stringifyEntityRef(component),
        title: component.metadata.title,
        ...defaultBranchHealth(summary.providers),
      });
    });
    return rows.sort(
      (a, b) =>
        PIPELINE_ORDER.indexOf(a.status) - PIPELINE_ORDER.indexOf(b.status) ||
        a.entityRef.localeCompare(b.entityRef),
    );
  }
}
