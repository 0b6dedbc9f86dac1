// What every procedure receives: who is calling (resolved once per request by `authenticate`)
// and the adapters the handlers use. Apps build the services in main.ts and inject them; tests
// build them over a real database and real Kafka clusters.
import type { ApiRole } from '@flotilla/auth';
import type { Database, Registry } from '@flotilla/db';
import type { KafkaAdmin } from '@flotilla/kafka';
import type { Logger } from '@flotilla/observability';
import type { Changes } from './audit/audited-changes';
import type { AccessSetFeed, MappingFeed, RouteSetFeed } from './version-feed';
import type { OperationsGateway } from './services/operations/operations-gateway';
import type { BrokerSync } from './services/tenancy/broker-sync';

export interface Identity {
  /** The application the credential belongs to. */
  readonly application: string;
  /** The credential used, for the audit log (`<application>/<credential id>`). */
  readonly credentialId: string;
  /** Management API role; undefined for data-plane credentials (heartbeats only). */
  readonly role: ApiRole | undefined;
}

export interface ApiServices {
  readonly db: Database;
  /** Opens an admin client on a cluster; the caller closes it. */
  readonly connectKafka: (bootstrap: readonly string[]) => Promise<KafkaAdmin>;
  readonly mappingFeed: MappingFeed;
  /** The published route set, which routers follow; absent where no router is served (tests of other parts). */
  readonly routeSetFeed?: RouteSetFeed | undefined;
  /** The published access set, which proxies follow; absent where no proxy is served (tests of other parts). */
  readonly accessSetFeed?: AccessSetFeed | undefined;
  readonly logger: Logger;
  /** Bytes out per second per broker assumed for a cluster registered without a capacity. */
  readonly defaultCapacityPerBrokerBytesPerSec: number;
  /** Keeps the brokers' SCRAM users, ACLs and quotas equal to the registry; absent where brokers are not managed. */
  readonly brokerSync?: BrokerSync | undefined;
  /** Management's secret key (applications' Kafka passwords derive from it); absent where brokers are not managed. */
  readonly secretKey?: Buffer | undefined;
  /** Starts and steers workflows; absent when management runs without Temporal. */
  readonly operations?: OperationsGateway | undefined;
}

export interface ApiContext {
  readonly services: ApiServices;
  readonly identity: Identity | undefined;
  /** Why the request carries no identity (no header, unknown or revoked token), for the 401. */
  readonly authProblem: string | undefined;
}

/** What a handler that reads gets: the services and a registry over the database. */
export interface ReadContext {
  readonly services: ApiServices;
  readonly registry: Registry;
}

/** What a handler that changes something gets besides: its changes, audited (audit/audited-changes.ts). */
export interface WriteContext extends ReadContext {
  readonly changes: Changes;
}

/** Who an audit entry names: the application and the credential it used. */
export function actorOf(identity: Identity): string {
  return `${identity.application}/${identity.credentialId}`;
}
