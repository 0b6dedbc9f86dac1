// What clients report in heartbeats: who they are, what they produce and consume on which
// mapping version, and per-topic record counts per minute. A topic move asks who still produces
// to or consumes from a topic; the auditor compares the counts between hops.
import { compareStrings, ConflictError } from '@flotilla/errors';
import { and, asc, eq, gt, lt, or, sql } from 'drizzle-orm';
import type { Database } from './create-db';
import { guard } from './database-error';
import { parseInput } from './parse-input';
import {
  clientSessionFilterSchema,
  clientSessions,
  heartbeatAgeMsSchema,
  heartbeatSchema,
  windowsKeptPerTopic,
} from './schema/client-sessions';
import type { ClientSession, ClientSessionFilter, Heartbeat, WindowCounts } from './schema/client-sessions';

export interface TopicClients {
  /** Sessions that said they produce to the topic. */
  readonly producers: ClientSession[];
  /** Sessions that said they consume from the topic. */
  readonly consumers: ClientSession[];
}

export interface ClientSessionRepository {
  /**
   * Records a heartbeat and returns the session as stored. What the client does now (kind,
   * host, mapping version, topic lists, group) replaces what it said before. Counts are merged
   * by window: a window reported again takes the new count, since clients report totals for the
   * windows they still hold; only the newest 60 windows per topic are kept. A router's routes
   * (each with its own windows) are what it runs now and replace the stored ones, as do a proxy's
   * per-application counts. A client id already
   * reported by another application is a ConflictError.
   */
  heartbeat(heartbeat: Heartbeat): Promise<ClientSession>;
  /** Sessions by application and client id, optionally only recent ones and only those on a topic. */
  list(filter?: ClientSessionFilter): Promise<ClientSession[]>;
  /** Who produces to and consumes from `topic`, among sessions heard from within `activeWithinMs`. */
  forTopic(topic: string, activeWithinMs: number): Promise<TopicClients>;
  /** Forgets sessions not heard from for `olderThanMs`; returns how many. */
  prune(olderThanMs: number): Promise<number>;
}

export function createClientSessionRepository(db: Database): ClientSessionRepository {
  const list = async (input: ClientSessionFilter = {}): Promise<ClientSession[]> => {
    const filter = parseInput(clientSessionFilterSchema, input, 'client session filter');
    const conditions = [
      filter.activeWithinMs === undefined ? undefined : gt(clientSessions.lastHeartbeatAt, ago(filter.activeWithinMs)),
      filter.kind === undefined ? undefined : eq(clientSessions.kind, filter.kind),
      filter.topic === undefined
        ? undefined
        : or(sql`${filter.topic} = any(${clientSessions.produces})`, sql`${filter.topic} = any(${clientSessions.consumes})`),
    ];
    return db
      .select()
      .from(clientSessions)
      .where(and(...conditions))
      .orderBy(asc(clientSessions.application), asc(clientSessions.clientId));
  };

  return {
    heartbeat: (input) =>
      guard(async () => {
        const beat = parseInput(heartbeatSchema, input, describeHeartbeat(input));
        const current = {
          application: beat.application,
          kind: beat.kind,
          host: beat.host ?? null,
          mappingVersion: beat.mappingVersion ?? null,
          produces: distinctSorted(beat.produces),
          consumes: distinctSorted(beat.consumes),
          groupId: beat.groupId ?? null,
          routes: beat.routes ?? null,
          applications: beat.applications ?? null,
        };
        // Reading the stored counts and writing the merge must not interleave with another
        // heartbeat of the same client, or one of the two would lose its windows.
        return db.transaction(async (tx) => {
          const [stored] = await tx
            .select({ application: clientSessions.application, produced: clientSessions.produced, consumed: clientSessions.consumed })
            .from(clientSessions)
            .where(eq(clientSessions.clientId, beat.clientId))
            .for('update');
          if (stored && stored.application !== beat.application) {
            throw new ConflictError('client', beat.clientId, `is reported by application "${stored.application}"`);
          }
          const counts = {
            produced: mergeWindowCounts(stored?.produced ?? {}, beat.produced),
            consumed: mergeWindowCounts(stored?.consumed ?? {}, beat.consumed),
          };
          const [session] = await tx
            .insert(clientSessions)
            .values({ clientId: beat.clientId, ...current, ...counts })
            .onConflictDoUpdate({ target: clientSessions.clientId, set: { ...current, ...counts, lastHeartbeatAt: sql`now()` } })
            .returning();
          if (!session) throw new Error(`the heartbeat upsert for client "${beat.clientId}" returned no row`);
          return session;
        });
      }),

    list: (filter) => guard(() => list(filter)),

    forTopic: (topic, activeWithinMs) =>
      guard(async () => {
        const sessions = await list({ topic, activeWithinMs });
        return {
          producers: sessions.filter((session) => session.produces.includes(topic)),
          consumers: sessions.filter((session) => session.consumes.includes(topic)),
        };
      }),

    prune: (olderThanMs) =>
      guard(async () => {
        const age = parseInput(heartbeatAgeMsSchema, olderThanMs, 'client session prune', 'olderThanMs');
        const pruned = await db
          .delete(clientSessions)
          .where(lt(clientSessions.lastHeartbeatAt, ago(age)))
          .returning({ clientId: clientSessions.clientId });
        return pruned.length;
      }),
  };
}

/** The database's now minus `ms`: heartbeat times are the database's clock, so ages are too. */
const ago = (ms: number) => sql`now() - ${`${ms} milliseconds`}::interval`;

const distinctSorted = (topics: readonly string[]): string[] => [...new Set(topics)].sort();

/**
 * Stored counts overlaid with the reported ones, window by window, keeping the newest windows.
 * Window keys have one spelling (`2025-01-31T12:34Z`), so string order is time order. Built with
 * Maps and Object.fromEntries because a topic may be called `__proto__`.
 */
function mergeWindowCounts(stored: WindowCounts, reported: WindowCounts): WindowCounts {
  const topics = new Map<string, Map<string, number>>();
  for (const counts of [stored, reported]) {
    for (const [topic, windows] of Object.entries(counts)) {
      const merged = topics.get(topic) ?? new Map<string, number>();
      for (const [window, count] of Object.entries(windows)) merged.set(window, count);
      topics.set(topic, merged);
    }
  }
  return Object.fromEntries(
    [...topics].map(([topic, windows]) => [
      topic,
      Object.fromEntries([...windows].sort(([a], [b]) => compareStrings(a, b)).slice(-windowsKeptPerTopic)),
    ]),
  );
}

function describeHeartbeat(input: unknown): string {
  const clientId: unknown = typeof input === 'object' && input !== null ? Reflect.get(input, 'clientId') : undefined;
  return typeof clientId === 'string' && clientId !== '' ? `heartbeat from client "${clientId}"` : 'heartbeat';
}
