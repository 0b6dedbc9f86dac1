// Applications: the tenants that own topics and credentials.
import type { WriteContext } from '../../context';
import type { ApplicationRequest } from './tenancy-inputs';

export function addApplication({ changes }: WriteContext, input: ApplicationRequest) {
  return changes.write((tx) => tx.applications.add(input), () => ({ target: `application/${input.id}`, details: { owner: input.owner } }));
}

export function removeApplication({ changes }: WriteContext, id: string) {
  return changes.write((tx) => tx.applications.remove(id), () => ({ target: `application/${id}` }));
}
