// Topic moves run by a parent operation (keyed expand, failback, drain) as child workflows. The
// parent's active part ends when every child's active part has (producers switched or sent back),
// which a child reports by signal; the children's tails (sources kept readable for retention) go
// on, and the parent waits for them in its own tail. Pause, resume, abort and release sent to the
// parent reach every child it started.
import { condition, ParentClosePolicy, setHandler, startChild, workflowInfo } from '@temporalio/workflow';
import { workflowIds } from './contracts';
import { childActiveDoneSignal, signalWorkflow, type ActiveOutcome, type OperationControl } from './operation-signals';
import type { OperationSignalName, TopicMoveInput, TopicMoveResult } from './topic-move.contracts';

export interface ChildMoveOutcome {
  readonly topic: string;
  readonly workflowId: string;
  /** Where its producers ended: on the target, back on the source, or nowhere known (it failed). */
  readonly active: ActiveOutcome | 'failed' | null;
  readonly result: TopicMoveResult | null;
  readonly error: string | null;
}

export interface ChildMoves {
  /** Starts the moves, at most `parallelism` in their active part at once; resolves when every active part ended. */
  runActiveParts(moves: readonly TopicMoveInput[], parallelism: number, control: OperationControl, onChange: () => void): Promise<void>;
  /** Resolves when every child started has completed (its tail included). */
  finish(): Promise<void>;
  forward(signal: OperationSignalName): void;
  outcomes(): ChildMoveOutcome[];
}

export function childMoves(): ChildMoves {
  const parentId = workflowInfo().workflowId;
  const children = new Map<string, { workflowId: string; active: ActiveOutcome | 'failed' | null; result: TopicMoveResult | null; error: string | null; completion: Promise<void> }>();
  setHandler(childActiveDoneSignal, (topic, outcome) => {
    const child = children.get(topic);
    // A child that switched reports again when an abort in its tail sent producers back.
    if (child && (child.active === null || outcome === 'rolled-back')) child.active = outcome;
  });

  return {
    async runActiveParts(moves, parallelism, control, onChange) {
      let next = 0;
      const lane = async (): Promise<void> => {
        for (;;) {
          // A paused parent starts no further move; an aborted one starts none at all.
          await condition(() => !control.paused || control.abortRequested);
          if (control.abortRequested || next >= moves.length) return;
          const move = moves[next] as TopicMoveInput;
          next += 1;
          const workflowId = workflowIds.childTopicMove(parentId, move.topic);
          const entry: { workflowId: string; active: ActiveOutcome | 'failed' | null; result: TopicMoveResult | null; error: string | null; completion: Promise<void> } = {
            workflowId,
            active: null,
            result: null,
            error: null,
            completion: Promise.resolve(),
          };
          children.set(move.topic, entry);
          try {
            // The move's own id: its progress, pause and abort work as for any move. ABANDON: a
            // move stopped half-way is worse than one finishing on its own.
            const handle = await startChild<(m: TopicMoveInput) => Promise<TopicMoveResult>>('topicMove', { args: [move], workflowId, parentClosePolicy: ParentClosePolicy.ABANDON });
            entry.completion = handle.result().then(
              (result) => {
                entry.result = result;
                entry.active ??= result.aborted ? 'rolled-back' : 'switched';
              },
              (error: unknown) => {
                entry.error = failureMessage(error);
                entry.active ??= 'failed';
              },
            );
          } catch (error) {
            entry.error = failureMessage(error);
            entry.active = 'failed';
          }
          onChange();
          await condition(() => entry.active !== null);
          onChange();
        }
      };
      await Promise.all(Array.from({ length: Math.max(1, Math.min(parallelism, moves.length)) }, lane));
    },
    async finish() {
      await Promise.all([...children.values()].map((child) => child.completion));
    },
    forward(signal) {
      for (const child of children.values()) {
        if (child.result === null && child.error === null) void signalWorkflow(child.workflowId, signal);
      }
    },
    outcomes() {
      return [...children.entries()].map(([topic, c]) => ({ topic, workflowId: c.workflowId, active: c.active, result: c.result, error: c.error }));
    },
  };
}

/** The innermost message: an activity or child failure wraps the error that says what went wrong. */
export function failureMessage(error: unknown): string {
  let current: unknown = error;
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  return current instanceof Error ? current.message : String(current);
}
