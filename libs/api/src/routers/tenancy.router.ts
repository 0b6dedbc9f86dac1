// Tenancy: applications, their credentials (API tokens shown once, stored hashed), policies,
// quotas, and `authorize`, answered by the one policy engine in @flotilla/auth.
import { API_ROLES, compilePolicies, generateApiToken, policyInputSchema, quotaInputSchema, VERBS } from '@flotilla/auth';
import { createRegistry, inTransaction } from '@flotilla/db';
import { z } from 'zod';
import { actorOf } from '../context';
import { adminProcedure, router, validated, viewerProcedure } from '../trpc';

const applicationId = z.object({ id: z.string() });

export const applicationsRouter = router({
  add: adminProcedure
    .input(validated(z.object({ id: z.string(), owner: z.string(), contact: z.string().optional() }), 'application'))
    .mutation(({ ctx, input }) =>
      inTransaction(ctx.services.db, async (tx) => {
        const added = await tx.applications.add(input);
        await tx.audit.record({ actor: actorOf(ctx.identity), action: 'applications.add', target: `application/${input.id}`, details: { owner: input.owner } });
        return added;
      }),
    ),
  list: viewerProcedure.query(({ ctx }) => createRegistry(ctx.services.db).applications.list()),
  get: viewerProcedure.input(validated(applicationId, 'application')).query(({ ctx, input }) => createRegistry(ctx.services.db).applications.get(input.id)),
  remove: adminProcedure.input(validated(applicationId, 'application')).mutation(({ ctx, input }) =>
    inTransaction(ctx.services.db, async (tx) => {
      const removed = await tx.applications.remove(input.id);
      await tx.audit.record({ actor: actorOf(ctx.identity), action: 'applications.remove', target: `application/${input.id}` });
      return removed;
    }),
  ),
});

export const tokensRouter = router({
  /** Issues an API token; the token itself is in this answer only, never stored or shown again. */
  issue: adminProcedure
    .input(
      validated(
        z.object({ application: z.string(), role: z.enum(API_ROLES).nullish(), description: z.string().optional() }),
        'token request',
      ),
    )
    .mutation(({ ctx, input }) =>
      inTransaction(ctx.services.db, async (tx) => {
        const generated = generateApiToken();
        const credential = await tx.credentials.issueToken({
          application: input.application,
          role: input.role ?? null,
          ...(input.description === undefined ? {} : { description: input.description }),
          tokenId: generated.tokenId,
          tokenHash: generated.hash,
        });
        await tx.audit.record({
          actor: actorOf(ctx.identity),
          action: 'tokens.issue',
          target: `application/${input.application}`,
          details: { credential: credential.id, role: input.role ?? null },
        });
        return { ...credential, token: generated.token };
      }),
    ),
  /** Registers a client certificate subject (CN) as a credential: mTLS callers authenticate by it. */
  addCertificate: adminProcedure
    .input(validated(z.object({ application: z.string(), subject: z.string().min(1), role: z.enum(API_ROLES).nullish() }), 'certificate credential'))
    .mutation(({ ctx, input }) =>
      inTransaction(ctx.services.db, async (tx) => {
        const credential = await tx.credentials.addMtls({ application: input.application, subject: input.subject, role: input.role ?? null });
        await tx.audit.record({ actor: actorOf(ctx.identity), action: 'tokens.addCertificate', target: `application/${input.application}`, details: { credential: credential.id, subject: input.subject } });
        return credential;
      }),
    ),
  list: adminProcedure
    .input(validated(z.object({ application: z.string().optional() }).default({}), 'token filter'))
    .query(({ ctx, input }) => createRegistry(ctx.services.db).credentials.list(input)),
  revoke: adminProcedure.input(validated(z.object({ id: z.string() }), 'credential')).mutation(({ ctx, input }) =>
    inTransaction(ctx.services.db, async (tx) => {
      const revoked = await tx.credentials.revoke(input.id);
      await tx.audit.record({ actor: actorOf(ctx.identity), action: 'tokens.revoke', target: `credential/${input.id}`, details: { application: revoked.application } });
      return revoked;
    }),
  ),
});

export const policiesRouter = router({
  add: adminProcedure.input(validated(policyInputSchema, 'policy')).mutation(({ ctx, input }) =>
    inTransaction(ctx.services.db, async (tx) => {
      const added = await tx.policies.add(input);
      await tx.audit.record({ actor: actorOf(ctx.identity), action: 'policies.add', target: `application/${input.application}`, details: { ...input } });
      return added;
    }),
  ),
  list: viewerProcedure
    .input(validated(z.object({ application: z.string().optional() }).default({}), 'policy filter'))
    .query(({ ctx, input }) => createRegistry(ctx.services.db).policies.list(input)),
  remove: adminProcedure.input(validated(z.object({ id: z.int() }), 'policy')).mutation(({ ctx, input }) =>
    inTransaction(ctx.services.db, async (tx) => {
      const removed = await tx.policies.remove(input.id);
      await tx.audit.record({ actor: actorOf(ctx.identity), action: 'policies.remove', target: `application/${removed.application}`, details: { ...removed } });
      return removed;
    }),
  ),
  /** May `application` do `verb` on `resource`? produce = PUT /topics/t, consume = GET, admin = POST|DELETE. */
  authorize: viewerProcedure
    .input(validated(z.object({ application: z.string(), verb: z.enum(VERBS), resource: z.string() }), 'authorization request'))
    .query(async ({ ctx, input }) => {
      const rules = await createRegistry(ctx.services.db).policies.list({ application: input.application });
      return compilePolicies(rules).authorize(input);
    }),
});

export const quotasRouter = router({
  set: adminProcedure.input(validated(quotaInputSchema, 'quota')).mutation(({ ctx, input }) =>
    inTransaction(ctx.services.db, async (tx) => {
      const quota = await tx.quotas.set(input);
      await tx.audit.record({ actor: actorOf(ctx.identity), action: 'quotas.set', target: `application/${input.application}`, details: { ...input } });
      return quota;
    }),
  ),
  get: viewerProcedure.input(validated(z.object({ application: z.string() }), 'quota')).query(async ({ ctx, input }) => (await createRegistry(ctx.services.db).quotas.get(input.application)) ?? null),
  list: viewerProcedure.query(({ ctx }) => createRegistry(ctx.services.db).quotas.list()),
  remove: adminProcedure.input(validated(z.object({ application: z.string() }), 'quota')).mutation(({ ctx, input }) =>
    inTransaction(ctx.services.db, async (tx) => {
      await tx.quotas.remove(input.application);
      await tx.audit.record({ actor: actorOf(ctx.identity), action: 'quotas.remove', target: `application/${input.application}` });
      return { application: input.application };
    }),
  ),
});
