// Where a finished workflow spent its time, from its Temporal history: the run from start to
// close, and per activity type the time from scheduling to completion (queueing on the task
// queue, the worker's work and retries included), summed over the activity's calls.
import type { Client } from '@temporalio/client';

interface Timestamp {
  seconds?: { toNumber(): number } | number | null;
  nanos?: number | null;
}

export interface WorkflowTimes {
  /** Temporal's own start → close of the run. */
  runMs: number;
  /** Activity type → summed scheduled → completed time, and how many calls. */
  activities: ReadonlyMap<string, { ms: number; calls: number }>;
}

function millis(ts: Timestamp | null | undefined): number {
  if (!ts) return Number.NaN;
  const seconds = typeof ts.seconds === 'number' ? ts.seconds : (ts.seconds?.toNumber() ?? 0);
  return seconds * 1000 + (ts.nanos ?? 0) / 1e6;
}

export async function workflowTimes(client: Client, workflowId: string): Promise<WorkflowTimes> {
  const handle = client.workflow.getHandle(workflowId);
  const [description, history] = await Promise.all([handle.describe(), handle.fetchHistory()]);
  if (!description.closeTime) throw new Error(`workflow ${workflowId} has not closed`);
  const scheduled = new Map<string, { type: string; at: number }>();
  const activities = new Map<string, { ms: number; calls: number }>();
  for (const event of history.events ?? []) {
    const id = String(event.eventId ?? '');
    const at = millis(event.eventTime);
    const type = event.activityTaskScheduledEventAttributes?.activityType?.name;
    if (type) scheduled.set(id, { type, at });
    const completed = event.activityTaskCompletedEventAttributes;
    if (completed) {
      const start = scheduled.get(String(completed.scheduledEventId ?? ''));
      if (!start) continue;
      const sum = activities.get(start.type) ?? { ms: 0, calls: 0 };
      activities.set(start.type, { ms: sum.ms + (at - start.at), calls: sum.calls + 1 });
    }
  }
  return { runMs: description.closeTime.getTime() - description.startTime.getTime(), activities };
}
