// Every repository over one database handle, and `inTransaction` to run several of them as one
// change: a registry write, the mapping version it causes and its audit entry commit together or
// not at all (STYLE.md: never half-written).
import type { Database } from './create-db';
import { guard } from './database-error';
import { createClusterRepository, type ClusterRepository } from './cluster-repository';
import { createHandoffRepository, type HandoffRepository } from './handoff-repository';
import { createMappingRepository, type MappingRepository } from './mapping-repository';
import { createPlacementRepository, type PlacementRepository } from './placement-repository';
import { createTopicRepository, type TopicRepository } from './topic-repository';

export interface Registry {
  readonly clusters: ClusterRepository;
  readonly topics: TopicRepository;
  readonly placements: PlacementRepository;
  readonly handoffs: HandoffRepository;
  readonly mapping: MappingRepository;
}

export function createRegistry(db: Database): Registry {
  return {
    clusters: createClusterRepository(db),
    topics: createTopicRepository(db),
    placements: createPlacementRepository(db),
    handoffs: createHandoffRepository(db),
    mapping: createMappingRepository(db),
  };
}

/** Runs `change` in one transaction; a throw rolls every write of it back and is rethrown. */
export function inTransaction<T>(db: Database, change: (registry: Registry) => Promise<T>): Promise<T> {
  return guard(() => db.transaction((tx) => change(createRegistry(tx))));
}
