// The signals and query every operation workflow answers (pause, resume, abort, release; progress),
// and how a child move tells its parent that its active part is done. One definition, so a parent
// forwards exactly what its children understand.
import { defineQuery, defineSignal, getExternalWorkflowHandle, setHandler, workflowInfo } from '@temporalio/workflow';
import { childActiveDoneSignalName, moveQueries, moveSignals } from './topic-move.contracts';

export const pauseSignal = defineSignal(moveSignals.pause);
export const resumeSignal = defineSignal(moveSignals.resume);
export const abortSignal = defineSignal(moveSignals.abort);
/** Release the source early once drained (see TopicMoveInput.releaseWhenDrained). */
export const releaseSignal = defineSignal(moveSignals.release);
export const progressQuery = defineQuery<unknown>(moveQueries.progress);
/** topic, and whether producers ended on the target (`switched`) or back on the source (`rolled-back`). */
export const childActiveDoneSignal = defineSignal<[string, ActiveOutcome]>(childActiveDoneSignalName);
export type ActiveOutcome = 'switched' | 'rolled-back';

/** What an operation has been told so far; handlers set it, the workflow reads it between steps. */
export interface OperationControl {
  paused: boolean;
  abortRequested: boolean;
  releaseRequested: boolean;
}

/** Installs the signal handlers; `onSignal` lets a parent forward each signal to its children. */
export function operationControl(onSignal?: (signal: keyof typeof moveSignals) => void): OperationControl {
  const control: OperationControl = { paused: false, abortRequested: false, releaseRequested: false };
  setHandler(pauseSignal, () => {
    control.paused = true;
    onSignal?.('pause');
  });
  setHandler(resumeSignal, () => {
    control.paused = false;
    onSignal?.('resume');
  });
  setHandler(abortSignal, () => {
    control.abortRequested = true;
    onSignal?.('abort');
  });
  setHandler(releaseSignal, () => {
    control.releaseRequested = true;
    onSignal?.('release');
  });
  return control;
}

/** Sends `signal` to another workflow; one that already ended is not an error (it has nothing left to do). */
export async function signalWorkflow(workflowId: string, signal: keyof typeof moveSignals): Promise<void> {
  const definitions = { pause: pauseSignal, resume: resumeSignal, abort: abortSignal, release: releaseSignal };
  await getExternalWorkflowHandle(workflowId)
    .signal(definitions[signal])
    .catch(() => undefined);
}

/** Tells the parent workflow, if any, that this move's active part is done. */
export async function reportActiveDone(topic: string, outcome: ActiveOutcome): Promise<void> {
  const parent = workflowInfo().parent;
  if (!parent) return;
  await getExternalWorkflowHandle(parent.workflowId)
    .signal(childActiveDoneSignal, topic, outcome)
    .catch(() => undefined);
}
