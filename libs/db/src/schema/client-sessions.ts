// What smart clients (and later routers and proxies) report in heartbeats: who they are, which
// mapping version they run, what they produce and consume, and per-topic counts per window. A
// topic move reads it to know every producer has switched; the auditor reads the counts.
import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import { applicationIdSchema } from './applications';
import { topicNameSchema } from './topics';

/** Per topic: window start (ISO minute) → records. */
export type WindowCounts = Record<string, Record<string, number>>;

/** A route's records in one window, as a router counts them. */
export interface RouteWindowCounts {
  readonly in: number;
  readonly out: number;
  readonly filtered: number;
  readonly deadLettered: number;
}

/** What a router reports of one route it runs: its route-set version, lag, counts per window (ISO minute). */
export interface RouteReport {
  readonly routeSetVersion: number;
  /** Records behind the source's end offsets over the partitions this router holds. */
  readonly lag: number;
  readonly windows: Record<string, RouteWindowCounts>;
}

/** Per route a router runs now. */
export type RouteReports = Record<string, RouteReport>;

/** What an HTTP proxy took from one application in one window. */
export interface ApplicationWindowCounts {
  readonly records: number;
  readonly bytes: number;
  /** What the proxy's HTTP consumers took for the application; absent when they took nothing. */
  readonly consumedRecords?: number;
  readonly consumedBytes?: number;
}

/** Proxies: per application, window start (ISO minute) → what the proxy took from it. */
export type ApplicationReports = Record<string, Record<string, ApplicationWindowCounts>>;

export const clientSessions = pgTable(
  'client_sessions',
  {
    clientId: text('client_id').primaryKey(),
    application: text('application').notNull(),
    kind: text('kind').notNull(),
    host: text('host'),
    mappingVersion: integer('mapping_version'),
    produces: text('produces').array().notNull().default(sql`'{}'::text[]`),
    consumes: text('consumes').array().notNull().default(sql`'{}'::text[]`),
    /** Consumer group, for consumers: a topic move waits for each group to drain the source. */
    groupId: text('group_id'),
    produced: jsonb('produced').$type<WindowCounts>().notNull().default({}),
    consumed: jsonb('consumed').$type<WindowCounts>().notNull().default({}),
    /** Routers only: the routes the router runs now (replaced by each heartbeat). */
    routes: jsonb('routes').$type<RouteReports>(),
    /** Proxies only: per application the records and bytes taken per window (replaced by each heartbeat). */
    applications: jsonb('applications').$type<ApplicationReports>(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    lastHeartbeatAt: timestamp('last_heartbeat_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('client_sessions_application_idx').on(table.application),
    index('client_sessions_heartbeat_idx').on(table.lastHeartbeatAt),
  ],
);

export type ClientSession = typeof clientSessions.$inferSelect;

export const clientKinds = ['producer', 'consumer', 'client', 'router', 'proxy'] as const;
export type ClientKind = (typeof clientKinds)[number];

/** How many windows per topic a session keeps: an hour of one-minute windows. */
export const windowsKeptPerTopic = 60;

/**
 * A window start in one spelling only, so that keys sort in time order and a window reported
 * twice is recognised as the same one.
 */
const windowStartPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}Z$/;
/** True for a real minute in the one spelling (`2025-02-30T00:00Z` matches the pattern but is no date). */
const isWindowStart = (window: string): boolean => {
  const at = Date.parse(window);
  return windowStartPattern.test(window) && !Number.isNaN(at) && `${new Date(at).toISOString().slice(0, 16)}Z` === window;
};
const windowStartExpectation = 'expected window starts as UTC ISO minutes such as "2025-01-31T12:34Z"';

const windowCountsSchema = z
  .record(z.string(), z.record(z.string(), z.int().min(0, { error: 'expected a count of 0 or more records' })))
  .superRefine((counts, ctx) => {
    // Key problems are reported here rather than by record key schemas, whose message would not
    // say which key or why.
    for (const [topic, windows] of Object.entries(counts)) {
      const problem = topicNameSchema.safeParse(topic);
      if (!problem.success) {
        ctx.addIssue({ code: 'custom', path: [topic], message: problem.error.issues[0]?.message ?? 'invalid topic name' });
      }
      for (const window of Object.keys(windows)) {
        if (!isWindowStart(window)) {
          ctx.addIssue({ code: 'custom', path: [topic, window], message: `window "${window}": ${windowStartExpectation}` });
        }
      }
    }
  });

const count = z.int().min(0, { error: 'expected a count of 0 or more records' });

const routeReportsSchema = z
  .record(
    z.string().min(1, { error: 'expected a route name' }).max(255),
    z.strictObject({
      routeSetVersion: z.int().min(0, { error: 'expected a route set version of 0 or more' }),
      lag: count,
      windows: z.record(z.string(), z.strictObject({ in: count, out: count, filtered: count, deadLettered: count })),
    }),
  )
  .superRefine((routes, ctx) => {
    for (const [route, report] of Object.entries(routes)) {
      for (const window of Object.keys(report.windows)) {
        if (!isWindowStart(window)) ctx.addIssue({ code: 'custom', path: [route, 'windows', window], message: `window "${window}": ${windowStartExpectation}` });
      }
    }
  });

const applicationReportsSchema = z
  .record(applicationIdSchema, z.record(z.string(), z.strictObject({
      records: count,
      bytes: z.int().min(0, { error: 'expected a count of 0 or more bytes' }),
      consumedRecords: count.exactOptional(),
      consumedBytes: z.int().min(0, { error: 'expected a count of 0 or more bytes' }).exactOptional(),
    })))
  .superRefine((applications, ctx) => {
    for (const [application, windows] of Object.entries(applications)) {
      for (const window of Object.keys(windows)) {
        if (!isWindowStart(window)) ctx.addIssue({ code: 'custom', path: [application, window], message: `window "${window}": ${windowStartExpectation}` });
      }
    }
  });

const topicList = z.array(topicNameSchema).max(10_000, { error: 'expected at most 10000 topics' });

/** One heartbeat: who the client is and what it does now, and its counts for recent windows. */
export const heartbeatSchema = z.strictObject({
  clientId: z.string().min(1, { error: 'expected a client id' }).max(200),
  application: applicationIdSchema,
  kind: z.enum(clientKinds),
  host: z.string().min(1).max(255).nullish(),
  /** 0 before the client has loaded any mapping. */
  mappingVersion: z.int().min(0, { error: 'expected a mapping version of 0 or more' }).nullish(),
  produces: topicList.default([]),
  consumes: topicList.default([]),
  groupId: z.string().min(1).max(255).nullish(),
  produced: windowCountsSchema.default({}),
  consumed: windowCountsSchema.default({}),
  /** Routers: per route they run, what `routes describe` shows. */
  routes: routeReportsSchema.nullish(),
  /** Proxies: per application, the records and bytes taken per window. */
  applications: applicationReportsSchema.nullish(),
});

export type Heartbeat = z.input<typeof heartbeatSchema>;

/** How long ago a heartbeat may be and still count: a whole number of milliseconds, at least 1. */
export const heartbeatAgeMsSchema = z.int({ error: 'expected a whole number of milliseconds' }).min(1, { error: 'expected at least 1 millisecond' });

/** Which sessions to list: heard from within `activeWithinMs`, of `kind`, producing or consuming `topic`. */
export const clientSessionFilterSchema = z.strictObject({
  activeWithinMs: heartbeatAgeMsSchema.optional(),
  kind: z.enum(clientKinds).optional(),
  topic: z.string().min(1, { error: 'expected a topic name' }).optional(),
});

export type ClientSessionFilter = z.input<typeof clientSessionFilterSchema>;
