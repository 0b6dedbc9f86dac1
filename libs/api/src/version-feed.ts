// Keeps the current version of a versioned document (the mapping, the route set, the access set)
// in memory and tells followers (SSE streams, tRPC subscriptions) about each new one. A publish in
// this process calls `refresh()` and is pushed at once; publishes by another replica or the CLI are
// picked up by polling the head row, which is a one-row read, so a follower hears of every version
// within `pollMs`.
import type { AccessSetVersion, MappingVersion, RouteSetVersion, VersionedDocumentRepository, VersionedDocument } from '@flotilla/db';
import type { Logger } from '@flotilla/observability';

export type VersionListener<Version> = (version: Version) => void;
export type MappingListener = VersionListener<MappingVersion>;
export type MappingFeed = VersionFeed<MappingVersion>;
export type RouteSetFeed = VersionFeed<RouteSetVersion>;
export type AccessSetFeed = VersionFeed<AccessSetVersion>;

export interface VersionFeed<Version extends { readonly version: number }> {
  /** The newest version known; undefined before the first publish. */
  current(): Version | undefined;
  /** Loads the head now (after a publish in this process) and tells listeners if it moved. */
  refresh(): Promise<void>;
  /** Calls `listener` with every newer version; returns the unsubscribe function. */
  subscribe(listener: VersionListener<Version>): () => void;
  /** How many listeners are attached (streams open). */
  listenerCount(): number;
  /** Loads the current version and starts polling. */
  start(): Promise<void>;
  stop(): void;
}

export interface VersionFeedOptions<Document> {
  readonly versions: VersionedDocumentRepository<Document>;
  /** What the documents are, in logs: `mapping`, `route set`. */
  readonly what: string;
  readonly logger: Logger;
  /** Interval of the head-row poll that catches other writers; 250 ms by default. */
  readonly pollMs?: number;
}

export function createVersionFeed<Document>(options: VersionFeedOptions<Document>): VersionFeed<VersionedDocument<Document>> {
  type Version = VersionedDocument<Document>;
  const listeners = new Set<VersionListener<Version>>();
  let current: Version | undefined;
  let timer: NodeJS.Timeout | undefined;
  let loading: Promise<void> | undefined;

  const load = async (): Promise<void> => {
    const head = await options.versions.currentVersion();
    if (head === 0 || (current !== undefined && head <= current.version)) return;
    const next = await options.versions.get(head);
    // Another load may have advanced past it while this one waited on the database.
    if (current !== undefined && next.version <= current.version) return;
    // Every version this process hears of, once: the operator's record of each switch of traffic
    // (a version skipped by a fast run of publishes is folded into the next one, as followers see it).
    if (current !== undefined) options.logger.info({ version: next.version, previous: current.version, author: next.author, reason: next.reason }, `${options.what} version published`);
    current = next;
    for (const listener of listeners) listener(next);
  };

  // One load at a time, so listeners see versions in order and each once.
  const refresh = (): Promise<void> => {
    const run = (loading ?? Promise.resolve()).then(load);
    loading = run.catch(() => {});
    return run;
  };

  return {
    current: () => current,
    refresh,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    listenerCount: () => listeners.size,
    async start() {
      await refresh();
      const pollMs = options.pollMs ?? 250;
      // A database that is down fails every poll: say so once, and once more when it is back.
      let failing = false;
      const poll = (): void => {
        refresh()
          .then(
            () => {
              if (failing) options.logger.info(`${options.what} head poll works again`);
              failing = false;
            },
            (error: unknown) => {
              if (!failing) options.logger.warn({ reason: error instanceof Error ? error.message : String(error), pollMs }, `${options.what} head poll failed; retrying`);
              failing = true;
            },
          )
          .finally(() => {
            if (timer !== undefined) timer = setTimeout(poll, pollMs);
          });
      };
      timer = setTimeout(poll, pollMs);
    },
    stop() {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      listeners.clear();
    },
  };
}

/**
 * Versions newer than `after` as an async iterable, for a tRPC subscription: the current one first
 * if newer, then each new one. Slow readers skip to the newest (each version is a whole document).
 */
export async function* followVersions<Version extends { readonly version: number }>(
  feed: VersionFeed<Version>,
  after: number,
  signal: AbortSignal | undefined,
): AsyncGenerator<Version> {
  let pending: Version | undefined;
  let wake: (() => void) | undefined;
  const unsubscribe = feed.subscribe((version) => {
    pending = version;
    wake?.();
  });
  const abort = (): void => wake?.();
  signal?.addEventListener('abort', abort);
  try {
    let held = after;
    const first = feed.current();
    if (first !== undefined && first.version > held) {
      held = first.version;
      yield first;
    }
    while (!signal?.aborted) {
      if (pending === undefined || pending.version <= held) {
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
        continue;
      }
      const next: Version = pending;
      held = next.version;
      yield next;
    }
  } finally {
    unsubscribe();
    signal?.removeEventListener('abort', abort);
  }
}
