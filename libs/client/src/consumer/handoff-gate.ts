// Per-key order across a keyed topic move (ARCHITECTURE.md §4): the target's partitions are
// delivered only after the group's committed offsets on every partition of the source reached
// the offsets sealed when producers switched. Everything written to the source before the switch
// is therefore handled before anything written to the target. Waiting for the whole source, not
// just the same partition number, keeps order also when the target has more partitions (a keyed
// topic expanding by a move), where a key lands on a different partition number.
import { setTimeout as sleep } from 'node:timers/promises';
import type { CompiledMapping } from '@flotilla/mapping';

export type CommittedOffsets = (cluster: string, topic: string) => Promise<Map<number, bigint> | undefined>;

export class HandoffGate {
  private readonly open = new Set<string>();

  constructor(
    private readonly committed: CommittedOffsets,
    private readonly pollMs = 250,
  ) {}

  /**
   * Resolves when records of (cluster, topic, partition) may be delivered under `mapping()`
   * (read anew each poll, so a later version that drops the handoff releases the wait).
   */
  async wait(mapping: () => CompiledMapping | undefined, cluster: string, topic: string, _partition: number, running: () => boolean): Promise<void> {
    for (;;) {
      const current = mapping();
      const handoff = current?.handoff(topic);
      if (!handoff || !handoff.keyed || handoff.to.name !== cluster) return;
      const key = `${current!.version}:${handoff.from.name}>${cluster}:${topic}`;
      if (this.open.has(key)) return;
      // An empty `sealed` means "declared, not sealed yet": producers are still switching, so
      // nothing of the target may be read. Once sealed, partitions sealed at 0 had nothing.
      if (handoff.sealed.size > 0) {
        const pending = [...handoff.sealed].filter(([, offset]) => offset > 0);
        if (pending.length === 0) {
          this.open.add(key);
          return;
        }
        const committed = await this.committed(handoff.from.name, topic).catch(() => undefined);
        // No reader of the source any more (it was removed after draining): nothing to wait for.
        if (committed === undefined && !current!.consumerSources(topic).some((c) => c.name === handoff.from.name)) return;
        if (pending.every(([sourcePartition, offset]) => (committed?.get(sourcePartition) ?? -1n) >= BigInt(offset))) {
          this.open.add(key);
          return;
        }
      }
      if (!running()) return;
      await sleep(this.pollMs);
    }
  }
}
