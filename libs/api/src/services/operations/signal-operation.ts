// Pause, resume, abort or release a running operation (or one child move of it). An operation
// that ended is refused with how it ended, rather than signalled into nothing.
import { ConflictError } from '@flotilla/errors';
import type { WriteContext } from '../../context';
import { findOperation } from './find-operation';
import type { OperationSignalRequest } from './operation-inputs';
import { requireOperations } from './operations-gateway';

export async function signalOperation({ services, registry, changes }: WriteContext, { workflowId, signal }: OperationSignalRequest) {
  await findOperation(registry, workflowId);
  const operations = requireOperations(services);
  const status = await operations.status(workflowId);
  if (status.status !== 'running') {
    throw new ConflictError('operation', workflowId, `has already ${status.status === 'failed' ? 'failed' : `ended (${status.status})`}: there is nothing to ${signal}`);
  }
  await operations.signal(workflowId, signal);
  await changes.run((_tx, audit) => audit({ action: `operations.${signal}`, target: `operation/${workflowId}` }));
  return { workflowId, signal };
}
