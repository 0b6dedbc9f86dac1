// mapping: the current version, any version, history, the diff between two, a live subscription
// that pushes each new version, and a republish of the registry as it stands.
import { z } from 'zod';
import { followVersions } from '../version-feed';
import { diffVersions } from '../services/mapping/diff-versions';
import { publishMapping } from '../services/mapping/publish-mapping';
import { operatorProcedure, router, validated, viewerProcedure } from '../trpc';

const versionNumber = z.int().min(1);

export const mappingRouter = router({
  current: viewerProcedure.query(async ({ ctx }) => (await ctx.registry.mapping.current()) ?? null),

  get: viewerProcedure
    .input(validated(z.object({ version: versionNumber }), 'mapping version'))
    .query(({ ctx, input }) => ctx.registry.mapping.get(input.version)),

  history: viewerProcedure
    .input(validated(z.object({ limit: z.int().min(1).max(1_000).optional(), before: versionNumber.optional() }).default({}), 'history request'))
    .query(({ ctx, input }) =>
      ctx.registry.mapping.history({
        ...(input.limit === undefined ? {} : { limit: input.limit }),
        ...(input.before === undefined ? {} : { before: input.before }),
      }),
    ),

  /** What changed from one version to another (`to` defaults to the current one). */
  diff: viewerProcedure
    .input(validated(z.object({ from: versionNumber, to: versionNumber.optional() }), 'diff request'))
    .query(({ ctx, input }) => diffVersions(ctx, input.from, input.to)),

  /** Every version newer than `after` (0: start with the current one), as it is published. */
  subscribe: viewerProcedure
    .input(validated(z.object({ after: z.int().min(0).default(0) }).default({ after: 0 }), 'subscription'))
    .subscription(({ ctx, input, signal }) => followVersions(ctx.services.mappingFeed, input.after, signal)),

  /** Publishes the registry as it stands as a new version (after a manual repair, say). */
  publish: operatorProcedure
    .input(validated(z.object({ reason: z.string().min(1) }), 'publish request'))
    .mutation(({ ctx, input }) => publishMapping(ctx, input.reason)),
});
