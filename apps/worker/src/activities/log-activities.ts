// Logs every activity call: its name, the workflow it serves, a summary of its input and how it
// ended, so the worker's terminal shows each step of an operation as it happens (a placement
// published with its version and reason, a fence, an unfence, a topic deleted or ensured).
// Generic over the activities object, so an activity added later is logged without a line here.
import { Context } from '@temporalio/activity';
import { logSummary, type Logger } from '@flotilla/observability';

// Reads a workflow repeats every second or so while it waits: at info they would bury the steps
// in a wait of minutes, so they log at debug. Their failures still log at warn.
const polls: ReadonlySet<string> = new Set(['producerStatus', 'drainStatus', 'endOffsets', 'topicPartitions', 'clusterAnswers']);

export function logActivities<T extends object>(activities: T, logger: Logger): T {
  const logged = Object.entries(activities).map(([name, value]: [string, unknown]) => {
    if (typeof value !== 'function') return [name, value];
    const activity = value as (...args: unknown[]) => Promise<unknown>;
    const level = polls.has(name) ? 'debug' : 'info';
    const call = async (...args: unknown[]): Promise<unknown> => {
      const started = performance.now();
      const fields = { activity: name, ...runningActivity(), input: logSummary(args.length === 1 ? args[0] : args) };
      const ms = (): number => Math.round(performance.now() - started);
      try {
        const result = await activity.apply(activities, args);
        logger[level]({ ...fields, ...(result === undefined ? {} : { result: logSummary(result) }), ms: ms() }, `${name} done`);
        return result;
      } catch (error: unknown) {
        // Temporal retries it (or the workflow handles it): the message is the news, not a stack.
        logger.warn({ ...fields, error: error instanceof Error ? error.message : String(error), ms: ms() }, `${name} failed`);
        throw error;
      }
    };
    return [name, call];
  });
  return Object.fromEntries(logged) as T;
}

/** The workflow and attempt of the activity running now; nothing when called outside Temporal. */
function runningActivity(): { workflowId?: string; attempt?: number } {
  try {
    const { info } = Context.current();
    const workflowId = info.workflowExecution?.workflowId;
    return workflowId === undefined ? { attempt: info.attempt } : { workflowId, attempt: info.attempt };
  } catch {
    return {};
  }
}
