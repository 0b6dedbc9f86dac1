// The management API: one router per area. `AppRouter` is what the CLI and other TypeScript
// clients import (as a type only) to call it with full types.
import { applicationsRouter, policiesRouter, quotasRouter, tokensRouter } from './routers/tenancy.router';
import { capacityRouter } from './routers/capacity.router';
import { certsRouter } from './routers/certs.router';
import { brokersRouter, kafkaCredentialsRouter } from './routers/kafka-credentials.router';
import { clientsRouter } from './routers/clients.router';
import { clustersRouter } from './routers/clusters.router';
import { mappingRouter } from './routers/mapping.router';
import { operationsRouter } from './routers/operations.router';
import { routesRouter } from './routers/routes.router';
import { topicsRouter } from './routers/topics.router';
import { authenticatedProcedure, publicProcedure, router } from './trpc';

export const appRouter = router({
  health: publicProcedure.query(({ ctx }) => ({ ok: true, mappingVersion: ctx.services.mappingFeed.current()?.version ?? null })),
  /** Who the caller is, as the server sees the credential. */
  whoami: authenticatedProcedure.query(({ ctx }) => ({ ...ctx.identity, role: ctx.identity.role ?? null })),
  clusters: clustersRouter,
  topics: topicsRouter,
  mapping: mappingRouter,
  applications: applicationsRouter,
  tokens: tokensRouter,
  certs: certsRouter,
  kafkaCredentials: kafkaCredentialsRouter,
  brokers: brokersRouter,
  policies: policiesRouter,
  quotas: quotasRouter,
  clients: clientsRouter,
  capacity: capacityRouter,
  operations: operationsRouter,
  routes: routesRouter,
});

export type AppRouter = typeof appRouter;
