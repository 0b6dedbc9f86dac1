// Messages between the mapping benchmark and its follower processes (Node IPC). Times are
// wall-clock milliseconds (performance.timeOrigin + performance.now()), comparable across the
// processes of one machine.

export interface FollowTarget {
  /** How results name this server: "management" or "peer". */
  readonly name: string;
  readonly url: string;
}

/**
 * `stream`: each follower is one SSE connection that records when a whole `mapping` event has
 * arrived (what 1,000 separate clients see from the server; their own parse is theirs).
 * `client`: each follower is the smart client's liveMappingSource, parsing and compiling every
 * version in this process, so 500 of them queue behind each other's CPU.
 */
export type FollowerMode = 'stream' | 'client';

export type ToFollowers =
  /** Start `followers` live mapping sources per target; answer `ready` when all hold a version. */
  | { readonly type: 'start'; readonly targets: readonly FollowTarget[]; readonly followers: number; readonly mode: FollowerMode }
  /** Send what arrived of this version so far, complete or not (the wait for it timed out). */
  | { readonly type: 'report'; readonly target: string; readonly version: number }
  | { readonly type: 'stop' };

export type FromFollowers =
  | { readonly type: 'ready'; readonly followers: number; readonly startMs: number; readonly rssMiB: number }
  /** Sent by itself once every follower of the target holds `version`, or when asked to report. */
  | { readonly type: 'delivered'; readonly target: string; readonly version: number; readonly times: readonly number[]; readonly rssMiB: number }
  /** A follower's warning: a lost stream (it reconnects), a rejected version. */
  | { readonly type: 'warning'; readonly target: string; readonly message: string }
  | { readonly type: 'failed'; readonly message: string }
  | { readonly type: 'stopped' };

export function wallClockMs(): number {
  return performance.timeOrigin + performance.now();
}
