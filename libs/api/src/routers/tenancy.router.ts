// Tenancy: applications, their credentials (API tokens shown once, stored hashed), policies,
// quotas, and `authorize`, answered by the one policy engine in @flotilla/auth. The work is in
// services/tenancy.
import { policyInputSchema, quotaInputSchema } from '@flotilla/auth';
import { addApplication, removeApplication } from '../services/tenancy/applications';
import { addCertificate, issueToken, revokeCredential } from '../services/tenancy/credentials';
import { addPolicy, authorize, removePolicy, removeQuota, setQuota } from '../services/tenancy/policies-and-quotas';
import { addCertificateInput, applicationFilter, applicationId, applicationInput, authorizeInput, credentialId, issueTokenInput, policyId, quotaOf } from '../services/tenancy/tenancy-inputs';
import { adminProcedure, router, validated, viewerProcedure } from '../trpc';

export const applicationsRouter = router({
  add: adminProcedure.input(validated(applicationInput, 'application')).mutation(({ ctx, input }) => addApplication(ctx, input)),
  list: viewerProcedure.query(({ ctx }) => ctx.registry.applications.list()),
  get: viewerProcedure.input(validated(applicationId, 'application')).query(({ ctx, input }) => ctx.registry.applications.get(input.id)),
  remove: adminProcedure.input(validated(applicationId, 'application')).mutation(({ ctx, input }) => removeApplication(ctx, input.id)),
});

export const tokensRouter = router({
  /** Issues an API token; the token itself is in this answer only, never stored or shown again. */
  issue: adminProcedure.input(validated(issueTokenInput, 'token request')).mutation(({ ctx, input }) => issueToken(ctx, input)),
  /** Registers a client certificate subject (CN) as a credential: mTLS callers authenticate by it. */
  addCertificate: adminProcedure.input(validated(addCertificateInput, 'certificate credential')).mutation(({ ctx, input }) => addCertificate(ctx, input)),
  list: adminProcedure.input(validated(applicationFilter, 'token filter')).query(({ ctx, input }) => ctx.registry.credentials.list(input)),
  revoke: adminProcedure.input(validated(credentialId, 'credential')).mutation(({ ctx, input }) => revokeCredential(ctx, input.id)),
});

export const policiesRouter = router({
  add: adminProcedure.input(validated(policyInputSchema, 'policy')).mutation(({ ctx, input }) => addPolicy(ctx, input)),
  list: viewerProcedure.input(validated(applicationFilter, 'policy filter')).query(({ ctx, input }) => ctx.registry.policies.list(input)),
  remove: adminProcedure.input(validated(policyId, 'policy')).mutation(({ ctx, input }) => removePolicy(ctx, input.id)),
  /** May `application` do `verb` on `resource`? produce = PUT /topics/t, consume = GET, admin = POST|DELETE. */
  authorize: viewerProcedure.input(validated(authorizeInput, 'authorization request')).query(({ ctx, input }) => authorize(ctx, input)),
});

export const quotasRouter = router({
  set: adminProcedure.input(validated(quotaInputSchema, 'quota')).mutation(({ ctx, input }) => setQuota(ctx, input)),
  get: viewerProcedure.input(validated(quotaOf, 'quota')).query(async ({ ctx, input }) => (await ctx.registry.quotas.get(input.application)) ?? null),
  list: viewerProcedure.query(({ ctx }) => ctx.registry.quotas.list()),
  remove: adminProcedure.input(validated(quotaOf, 'quota')).mutation(({ ctx, input }) => removeQuota(ctx, input.application)),
});
