// Operation workflow ids are numbered per subject and kind, so a topic moved twice or a cluster
// failed twice gets a fresh id (and operations row) each time.
import type { Registry } from '@flotilla/db';

export async function nextAttempt(registry: Registry, subject: string, kind: string): Promise<number> {
  const earlier = await registry.operations.list({ subject });
  return earlier.filter((operation) => operation.kind === kind).length + 1;
}
