// Policies (what an application may do on which resources, answered by the one policy engine in
// @flotilla/auth) and quotas. Each change publishes the next access set, which proxies enforce.
import { compilePolicies, formatPolicy } from '@flotilla/auth';
import type { ReadContext, WriteContext } from '../../context';
import { writeTenancy } from './publish-access-set';
import type { AuthorizeRequest, PolicyRequest, QuotaRequest } from './tenancy-inputs';

export function addPolicy(context: WriteContext, input: PolicyRequest) {
  return writeTenancy(context, `add policy ${formatPolicy(input)}`, (tx) => tx.policies.add(input), () => ({ target: `application/${input.application}`, details: { ...input } }));
}

export function removePolicy(context: WriteContext, id: number) {
  return writeTenancy(context, `remove policy ${id}`, (tx) => tx.policies.remove(id), (removed) => ({ target: `application/${removed.application}`, details: { ...removed } }));
}

export async function authorize({ registry }: ReadContext, request: AuthorizeRequest) {
  const rules = await registry.policies.list({ application: request.application });
  return compilePolicies(rules).authorize(request);
}

export function setQuota(context: WriteContext, input: QuotaRequest) {
  return writeTenancy(context, `set quota of application ${input.application}`, (tx) => tx.quotas.set(input), () => ({ target: `application/${input.application}`, details: { ...input } }));
}

export async function removeQuota(context: WriteContext, application: string) {
  await writeTenancy(context, `remove quota of application ${application}`, (tx) => tx.quotas.remove(application), () => ({ target: `application/${application}` }));
  return { application };
}
