// Policies (what an application may do on which resources, answered by the one policy engine in
// @flotilla/auth) and quotas.
import { compilePolicies } from '@flotilla/auth';
import type { ReadContext, WriteContext } from '../../context';
import type { AuthorizeRequest, PolicyRequest, QuotaRequest } from './tenancy-inputs';

export function addPolicy({ changes }: WriteContext, input: PolicyRequest) {
  return changes.write((tx) => tx.policies.add(input), () => ({ target: `application/${input.application}`, details: { ...input } }));
}

export function removePolicy({ changes }: WriteContext, id: number) {
  return changes.write((tx) => tx.policies.remove(id), (removed) => ({ target: `application/${removed.application}`, details: { ...removed } }));
}

export async function authorize({ registry }: ReadContext, request: AuthorizeRequest) {
  const rules = await registry.policies.list({ application: request.application });
  return compilePolicies(rules).authorize(request);
}

export function setQuota({ changes }: WriteContext, input: QuotaRequest) {
  return changes.write((tx) => tx.quotas.set(input), () => ({ target: `application/${input.application}`, details: { ...input } }));
}

export async function removeQuota({ changes }: WriteContext, application: string) {
  await changes.write((tx) => tx.quotas.remove(application), () => ({ target: `application/${application}` }));
  return { application };
}
