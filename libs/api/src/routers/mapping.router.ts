// mapping: the current version, any version, history, the diff between two, a live subscription
// that pushes each new version, and a republish of the registry as it stands.
import { createRegistry, inTransaction } from '@flotilla/db';
import { compileMapping, diffMappings } from '@flotilla/mapping';
import { z } from 'zod';
import { actorOf } from '../context';
import { followMapping } from '../mapping-feed';
import { publishRegistry } from '../publish-registry';
import { operatorProcedure, router, validated, viewerProcedure } from '../trpc';

const versionNumber = z.int().min(1);

export const mappingRouter = router({
  current: viewerProcedure.query(async ({ ctx }) => (await createRegistry(ctx.services.db).mapping.current()) ?? null),

  get: viewerProcedure
    .input(validated(z.object({ version: versionNumber }), 'mapping version'))
    .query(({ ctx, input }) => createRegistry(ctx.services.db).mapping.get(input.version)),

  history: viewerProcedure
    .input(validated(z.object({ limit: z.int().min(1).max(1_000).optional(), before: versionNumber.optional() }).default({}), 'history request'))
    .query(({ ctx, input }) =>
      createRegistry(ctx.services.db).mapping.history({
        ...(input.limit === undefined ? {} : { limit: input.limit }),
        ...(input.before === undefined ? {} : { before: input.before }),
      }),
    ),

  /** What changed from one version to another (`to` defaults to the current one). */
  diff: viewerProcedure
    .input(validated(z.object({ from: versionNumber, to: versionNumber.optional() }), 'diff request'))
    .query(async ({ ctx, input }) => {
      const mapping = createRegistry(ctx.services.db).mapping;
      const to = input.to ?? (await mapping.currentVersion());
      const [a, b] = await Promise.all([mapping.get(input.from), mapping.get(to)]);
      return diffMappings(compileMapping(a.document), compileMapping(b.document));
    }),

  /** Every version newer than `after` (0: start with the current one), as it is published. */
  subscribe: viewerProcedure
    .input(validated(z.object({ after: z.int().min(0).default(0) }).default({ after: 0 }), 'subscription'))
    .subscription(({ ctx, input, signal }) => followMapping(ctx.services.mappingFeed, input.after, signal)),

  /** Publishes the registry as it stands as a new version (after a manual repair, say). */
  publish: operatorProcedure
    .input(validated(z.object({ reason: z.string().min(1) }), 'publish request'))
    .mutation(async ({ ctx, input }) => {
      const actor = actorOf(ctx.identity);
      const version = await inTransaction(ctx.services.db, async (tx) => {
        await tx.audit.record({ actor, action: 'mapping.publish', target: 'mapping', details: { reason: input.reason } });
        return publishRegistry(tx, actor, input.reason);
      });
      await ctx.services.mappingFeed.refresh();
      return { version: version.version };
    }),
});
