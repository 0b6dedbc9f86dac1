// clients: heartbeats from smart clients, routers (with their routes) and proxies (with their applications), and who produces and
// consumes what on which mapping version ("know your clients"). The application is always the
// caller's own: a credential cannot report for another application.
import { z } from 'zod';
import { authenticatedProcedure, router, validated, viewerProcedure } from '../trpc';

const windowCounts = z.record(z.string(), z.record(z.string(), z.int().min(0)));
const routeCounts = z.strictObject({ in: z.int().min(0), out: z.int().min(0), filtered: z.int().min(0), deadLettered: z.int().min(0) });

export const heartbeatInput = z.strictObject({
  clientId: z.string().min(1).max(200),
  kind: z.enum(['producer', 'consumer', 'client', 'router', 'proxy']),
  host: z.string().max(255).optional(),
  mappingVersion: z.int().min(0).nullish(),
  produces: z.array(z.string()).max(10_000).default([]),
  consumes: z.array(z.string()).max(10_000).default([]),
  groupId: z.string().optional(),
  /** topic → window start (ISO minute) → records. */
  produced: windowCounts.default({}),
  consumed: windowCounts.default({}),
  /** Routers: route → its route-set version, lag and counts per window (what `routes describe` shows). */
  routes: z.record(z.string(), z.strictObject({ routeSetVersion: z.int().min(0), lag: z.int().min(0), windows: z.record(z.string(), routeCounts) })).optional(),
  /** Proxies: application → window start (ISO minute) → records and bytes taken. */
  applications: z.record(z.string(), z.record(z.string(), z.strictObject({ records: z.int().min(0), bytes: z.int().min(0), consumedRecords: z.int().min(0).exactOptional(), consumedBytes: z.int().min(0).exactOptional() }))).optional(),
});
export type HeartbeatInput = z.input<typeof heartbeatInput>;

export const clientsRouter = router({
  heartbeat: authenticatedProcedure.input(validated(heartbeatInput, 'heartbeat')).mutation(async ({ ctx, input }) => {
    await ctx.registry.clients.heartbeat({ ...input, application: ctx.identity.application });
    return { mappingVersion: ctx.services.mappingFeed.current()?.version ?? null };
  }),
  list: viewerProcedure
    .input(validated(z.object({ topic: z.string().optional(), activeWithinMs: z.int().min(1).optional() }).default({}), 'client filter'))
    .query(({ ctx, input }) => ctx.registry.clients.list(input)),
});
