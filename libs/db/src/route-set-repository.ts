// Published route sets: each routes change publishes the whole set as the next version
// (versioned-document-repository.ts), which routers follow. A route's definition is stored as
// the API validated it (@flotilla/routes); this layer keeps it as JSON.
import type { Database } from './create-db';
import { routeSetTables } from './schema/route-sets';
import { createVersionedDocumentRepository, type VersionedDocument, type VersionedDocumentRepository } from './versioned-document-repository';

export const routeStates = ['active', 'paused'] as const;
export type RouteState = (typeof routeStates)[number];

export interface StoredRoute {
  readonly name: string;
  readonly state: RouteState;
  /** The route definition, validated by the API before it was published. */
  readonly definition: Record<string, unknown>;
  /** The actor of the change that last set this route, and when. */
  readonly updatedBy: string;
  readonly updatedAt: string;
}

export interface RouteSetDocument {
  readonly version: number;
  /** Sorted by name. */
  readonly routes: readonly StoredRoute[];
}

export type RouteSetVersion = VersionedDocument<RouteSetDocument>;
export type RouteSetRepository = VersionedDocumentRepository<RouteSetDocument>;

export function createRouteSetRepository(db: Database): RouteSetRepository {
  return createVersionedDocumentRepository<RouteSetDocument>(db, routeSetTables, { what: 'route set' });
}
