// Applications: the tenants that own topics and credentials. Each change publishes the next access
// set (removing an application takes its credentials, policies and quota with it).
import type { WriteContext } from '../../context';
import { writeTenancy } from './publish-access-set';
import type { ApplicationRequest } from './tenancy-inputs';

export function addApplication(context: WriteContext, input: ApplicationRequest) {
  return writeTenancy(context, `add application ${input.id}`, (tx) => tx.applications.add(input), () => ({ target: `application/${input.id}`, details: { owner: input.owner } }));
}

export function removeApplication(context: WriteContext, id: string) {
  return writeTenancy(context, `remove application ${id}`, (tx) => tx.applications.remove(id), () => ({ target: `application/${id}` }));
}
