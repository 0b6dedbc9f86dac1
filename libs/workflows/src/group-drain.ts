// Whether consumer groups have read a cluster's copy of a topic to the end, for an explicit early
// release. A group counts while it has members or keeps committing; one with neither for
// `staleGroupMs` is reported but holds nothing (an audit group of a finished job, say). Pure:
// the caller passes the workflow's clock.
import type { DrainStatus, GroupDrain } from './topic-move.contracts';

export interface GroupVerdict {
  readonly groups: readonly GroupDrain[];
  /** At least one live group, and every live group read to the end. */
  readonly drained: boolean;
  /** Why not, naming each group that holds it with its lag, members and last commit seen. */
  readonly blockedBy: string | null;
}

export function groupTracker(staleGroupMs: number, where: string): (status: DrainStatus, now: number) => GroupVerdict {
  const lastCommit = new Map<string, { committed: number; at: number }>();
  return (status, now) => {
    const groups: GroupDrain[] = Object.entries(status.groups)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([group, seen]) => {
        const before = lastCommit.get(group);
        if (!before || before.committed !== seen.committed) lastCommit.set(group, { committed: seen.committed, at: now });
        const at = lastCommit.get(group)?.at ?? now;
        return { group, lag: status.lag[group] ?? 0, members: seen.members, lastCommitSeenAt: at, stale: seen.members === 0 && now - at >= staleGroupMs };
      });
    const live = groups.filter((g) => !g.stale);
    const behind = live.filter((g) => g.lag > 0);
    const drained = live.length > 0 && behind.length === 0;
    const blockedBy = drained
      ? null
      : live.length === 0
        ? `no live consumer group has read ${where} yet: a group created later could still need it`
        : behind.map((g) => `group ${g.group} is ${g.lag} records behind on ${where} (${g.members} members, last commit seen ${new Date(g.lastCommitSeenAt).toISOString()})`).join('; ');
    return { groups, drained, blockedBy };
  };
}
