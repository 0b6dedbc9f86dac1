// Per-key order across a keyed topic move (ARCHITECTURE.md §4): a partition of the target
// cluster is delivered only after the group's committed offset on the same partition of
// the source reached the offset sealed when producers switched. Everything written to the
// source before the switch is therefore handled before anything written to the target.
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
  async wait(mapping: () => CompiledMapping | undefined, cluster: string, topic: string, partition: number, running: () => boolean): Promise<void> {
    for (;;) {
      const current = mapping();
      const handoff = current?.handoff(topic);
      if (!handoff || !handoff.keyed || handoff.to.name !== cluster) return;
      const key = `${current!.version}:${handoff.from.name}>${cluster}:${topic}:${partition}`;
      if (this.open.has(key)) return;
      // An empty `sealed` means "declared, not sealed yet": producers are still switching, so
      // nothing of the target may be read. Once sealed, a partition absent from it (or sealed
      // at 0) had nothing on the source.
      const sealed = handoff.sealed.get(partition);
      if (handoff.sealed.size > 0 && (sealed === undefined || sealed === 0)) {
        this.open.add(key);
        return;
      }
      const committed = await this.committed(handoff.from.name, topic).catch(() => undefined);
      // No reader of the source any more (it was removed after draining): nothing to wait for.
      if (committed === undefined && !current!.consumerSources(topic).some((c) => c.name === handoff.from.name)) return;
      const done = committed?.get(partition);
      if (sealed !== undefined && done !== undefined && done >= BigInt(sealed)) {
        this.open.add(key);
        return;
      }
      if (!running()) return;
      await new Promise((resolve) => setTimeout(resolve, this.pollMs));
    }
  }
}
