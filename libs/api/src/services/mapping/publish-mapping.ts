// Publishes the registry as it stands as a new mapping version (after a manual repair, say).
import type { WriteContext } from '../../context';
import { publishRegistry } from '../../publish-registry';

export async function publishMapping({ services, changes }: WriteContext, reason: string) {
  const version = await changes.run(async (tx, audit) => {
    await audit({ target: 'mapping', details: { reason } });
    return publishRegistry(tx, changes.actor, reason);
  });
  await services.mappingFeed.refresh();
  return { version: version.version };
}
