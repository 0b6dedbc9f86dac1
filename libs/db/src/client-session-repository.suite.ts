// The client session repository's contract, run against every driver by repositories.int.test.ts.
import { ConflictError, ValidationError } from '@flotilla/errors';
import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createClientSessionRepository } from './client-session-repository';
import { clientSessions } from './schema/client-sessions';
import type { ClientKind, Heartbeat } from './schema/client-sessions';
import type { MakeTestDatabase } from './test-support/database-drivers';
import { useMigratedDatabase } from './test-support/migrated-database';

const producer: Heartbeat = {
  clientId: 'orders-api-7f9c',
  application: 'orders-app',
  kind: 'producer',
  host: 'orders-api-1.internal',
  mappingVersion: 12,
  produces: ['orders', 'audit', 'orders'],
  consumes: [],
  produced: { orders: { '2025-01-31T12:00Z': 40, '2025-01-31T12:01Z': 15 } },
  consumed: {},
};

const consumer: Heartbeat = {
  clientId: 'billing-worker-1',
  application: 'billing',
  kind: 'consumer',
  produces: [],
  consumes: ['orders'],
  groupId: 'billing',
  produced: {},
  consumed: { orders: { '2025-01-31T12:00Z': 40 } },
};

/** `count` consecutive one-minute windows from `first`, each with `records`. */
function windows(first: string, count: number, records: number): Record<string, number> {
  const start = Date.parse(first);
  return Object.fromEntries(
    Array.from({ length: count }, (_, i) => [`${new Date(start + i * 60_000).toISOString().slice(0, 16)}Z`, records]),
  );
}

export function clientSessionRepositorySuite(makeDb: MakeTestDatabase): void {
  const db = useMigratedDatabase(makeDb);
  const sessions = () => createClientSessionRepository(db());
  /** Pretends the client was last heard from `minutes` ago. */
  const age = async (clientId: string, minutes: number): Promise<void> => {
    await db()
      .update(clientSessions)
      .set({ lastHeartbeatAt: sql`now() - ${`${minutes} minutes`}::interval` })
      .where(eq(clientSessions.clientId, clientId));
  };

  describe('heartbeat', () => {
    it('stores what the client reports, topic lists sorted without duplicates', async () => {
      const session = await sessions().heartbeat(producer);

      expect(session).toEqual({
        clientId: 'orders-api-7f9c',
        application: 'orders-app',
        kind: 'producer',
        host: 'orders-api-1.internal',
        mappingVersion: 12,
        produces: ['audit', 'orders'],
        consumes: [],
        groupId: null,
        produced: producer.produced,
        consumed: {},
        routes: null,
        applications: null,
        startedAt: expect.any(Date),
        lastHeartbeatAt: expect.any(Date),
      });
      expect(await sessions().list()).toEqual([session]);
    });

    it("keeps a proxy's per-application counts as its last beat reported them, and refuses a bad window", async () => {
      const beat = { clientId: 'proxy-1', application: 'orders-app', kind: 'proxy' as const, applications: { 'orders-app': { '2025-01-31T12:34Z': { records: 3, bytes: 120 } } } };
      expect((await sessions().heartbeat(beat)).applications).toEqual(beat.applications);
      const next = { ...beat, applications: { 'orders-app': { '2025-01-31T12:35Z': { records: 1, bytes: 40 } } } };
      expect((await sessions().heartbeat(next)).applications).toEqual(next.applications);
      await expect(sessions().heartbeat({ ...beat, applications: { 'orders-app': { yesterday: { records: 1, bytes: 1 } } } })).rejects.toThrow(/window "yesterday"/);
    });

    it('replaces what the client does and merges counts window by window, the newest report winning', async () => {
      const first = await sessions().heartbeat(producer);
      await age('orders-api-7f9c', 10);

      const second = await sessions().heartbeat({
        ...producer,
        host: null,
        mappingVersion: 13,
        produces: ['orders', 'payments'],
        // 12:01 was still filling at the first beat; its total has grown since.
        produced: { orders: { '2025-01-31T12:01Z': 30, '2025-01-31T12:02Z': 7 }, payments: { '2025-01-31T12:02Z': 3 } },
      });

      expect(second).toMatchObject({ host: null, mappingVersion: 13, produces: ['orders', 'payments'] });
      expect(second.produced).toEqual({
        orders: { '2025-01-31T12:00Z': 40, '2025-01-31T12:01Z': 30, '2025-01-31T12:02Z': 7 },
        payments: { '2025-01-31T12:02Z': 3 },
      });
      expect(second.startedAt).toEqual(first.startedAt);
      // Aged by ten minutes before the beat, so only a fresh heartbeat time passes this.
      expect(second.lastHeartbeatAt.getTime()).toBeGreaterThanOrEqual(first.lastHeartbeatAt.getTime());
    });

    it('keeps only the newest 60 windows per topic', async () => {
      await sessions().heartbeat({ ...producer, produced: { orders: windows('2025-01-31T10:00Z', 50, 1) } });

      const session = await sessions().heartbeat({ ...producer, produced: { orders: windows('2025-01-31T10:50Z', 20, 2) } });

      const kept = Object.keys(session.produced['orders'] ?? {}).sort();
      expect(kept).toHaveLength(60);
      expect(kept[0]).toBe('2025-01-31T10:10Z');
      expect(kept.at(-1)).toBe('2025-01-31T11:09Z');
      expect(session.produced['orders']?.['2025-01-31T10:49Z']).toBe(1);
    });

    it('stores the routes a router runs as it reports them, each beat replacing the last', async () => {
      const router: Heartbeat = {
        clientId: 'flotilla-router/host-a/4242',
        application: 'flotilla-router',
        kind: 'router',
        mappingVersion: 7,
        consumes: ['clicks'],
        produces: ['clicks.eu', 'clicks.dlq'],
        routes: {
          'clicks-eu': { routeSetVersion: 3, lag: 120, windows: { '2025-01-31T12:00Z': { in: 100, out: 90, filtered: 8, deadLettered: 2 } } },
          payments: { routeSetVersion: 3, lag: 0, windows: {} },
        },
      };
      await sessions().heartbeat(router);

      const session = await sessions().heartbeat({
        ...router,
        routes: { 'clicks-eu': { routeSetVersion: 4, lag: 5, windows: { '2025-01-31T12:01Z': { in: 10, out: 10, filtered: 0, deadLettered: 0 } } } },
      });

      // A route paused or removed since is no longer the router's: only what it runs now is kept.
      expect(session.routes).toEqual({ 'clicks-eu': { routeSetVersion: 4, lag: 5, windows: { '2025-01-31T12:01Z': { in: 10, out: 10, filtered: 0, deadLettered: 0 } } } });
      expect((await sessions().list({ kind: 'router' })).map((s) => s.clientId)).toEqual(['flotilla-router/host-a/4242']);
      await sessions().heartbeat(producer);
      expect((await sessions().list({ kind: 'producer' })).map((s) => s.clientId)).toEqual(['orders-api-7f9c']);
      await expect(
        sessions().heartbeat({ ...router, routes: { 'clicks-eu': { routeSetVersion: 4, lag: 0, windows: { '2025-01-31 12:01': { in: 1, out: 1, filtered: 0, deadLettered: 0 } } } } }),
      ).rejects.toThrow('routes.clicks-eu.windows.2025-01-31 12:01: window "2025-01-31 12:01"');
    });

    it('refuses a client id another application reports under, keeping its session', async () => {
      await sessions().heartbeat(producer);

      const impostor = sessions().heartbeat({ ...producer, application: 'billing', produces: ['payments'] });

      await expect(impostor).rejects.toBeInstanceOf(ConflictError);
      await expect(impostor).rejects.toThrow('client "orders-api-7f9c" is reported by application "orders-app"');
      expect(await sessions().list()).toEqual([expect.objectContaining({ application: 'orders-app', produces: ['audit', 'orders'] })]);
    });

    it('rejects malformed reports naming the field and the value, storing nothing', async () => {
      const badWindow = sessions().heartbeat({ ...producer, produced: { orders: { '2025-01-31 12:00': 4 } } });
      const noSuchDay = sessions().heartbeat({ ...producer, produced: { orders: { '2025-02-30T12:00Z': 4 } } });
      const badTopic = sessions().heartbeat({ ...producer, produces: ['orders', 'no spaces'] });
      const negative = sessions().heartbeat({ ...producer, produced: { orders: { '2025-01-31T12:00Z': -1 } } });
      const unknownKind = sessions().heartbeat({ ...producer, kind: 'spy' as ClientKind });

      await expect(badWindow).rejects.toBeInstanceOf(ValidationError);
      await expect(badWindow).rejects.toThrow(
        'invalid heartbeat from client "orders-api-7f9c": produced.orders.2025-01-31 12:00: window "2025-01-31 12:00": expected window starts as UTC ISO minutes such as "2025-01-31T12:34Z", got 4',
      );
      await expect(noSuchDay).rejects.toThrow('window "2025-02-30T12:00Z"');
      await expect(badTopic).rejects.toMatchObject({ field: 'produces.1' });
      await expect(badTopic).rejects.toThrow('got "no spaces"');
      await expect(negative).rejects.toThrow('produced.orders.2025-01-31T12:00Z: expected a count of 0 or more records, got -1');
      await expect(unknownKind).rejects.toMatchObject({ field: 'kind' });
      expect(await sessions().list()).toEqual([]);
    });
  });

  describe('who is on a topic', () => {
    it('lists sessions producing or consuming a topic, by application, and only recent ones when asked', async () => {
      await sessions().heartbeat(producer);
      await sessions().heartbeat(consumer);
      await sessions().heartbeat({ ...consumer, clientId: 'billing-worker-2', consumes: ['invoices'] });
      await age('billing-worker-1', 10);

      const onOrders = await sessions().list({ topic: 'orders' });
      const recentOnOrders = await sessions().list({ topic: 'orders', activeWithinMs: 60_000 });

      expect(onOrders.map((session) => session.clientId)).toEqual(['billing-worker-1', 'orders-api-7f9c']);
      expect(recentOnOrders.map((session) => session.clientId)).toEqual(['orders-api-7f9c']);
      expect((await sessions().list({ activeWithinMs: 60_000 })).map((session) => session.clientId)).toEqual([
        'billing-worker-2',
        'orders-api-7f9c',
      ]);
    });

    it('splits a topic into producers and consumers heard from recently', async () => {
      await sessions().heartbeat(producer);
      await sessions().heartbeat(consumer);
      await sessions().heartbeat({ ...producer, clientId: 'orders-api-old' });
      await age('orders-api-old', 30);

      const { producers, consumers } = await sessions().forTopic('orders', 5 * 60_000);

      expect(producers.map((session) => session.clientId)).toEqual(['orders-api-7f9c']);
      expect(consumers.map((session) => session.clientId)).toEqual(['billing-worker-1']);
      const onAudit = await sessions().forTopic('audit', 60 * 60_000);
      expect(onAudit.producers.map((session) => session.clientId)).toEqual(['orders-api-7f9c', 'orders-api-old']);
      expect(onAudit.consumers).toEqual([]);
    });

    it('prunes sessions not heard from for longer than asked, counting them', async () => {
      await sessions().heartbeat(producer);
      await sessions().heartbeat(consumer);
      await age('billing-worker-1', 90);

      expect(await sessions().prune(60 * 60_000)).toBe(1);
      expect((await sessions().list()).map((session) => session.clientId)).toEqual(['orders-api-7f9c']);
      await expect(sessions().prune(0)).rejects.toThrow('olderThanMs: expected at least 1 millisecond, got 0');
    });
  });
}
