// The mapping benchmark's fleet of followers: child processes (mapping-follower-process.ts), each
// running many smart-client live mapping sources against every target server, so the process that
// publishes is not also the one parsing a thousand documents. Collects, per target and version,
// when each follower had it.
import { fork, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FollowerMode, FollowTarget, FromFollowers, ToFollowers } from './mapping-follower-protocol';

const CHILD = join(dirname(fileURLToPath(import.meta.url)), 'mapping-follower-process.ts');
const READY_TIMEOUT_MS = 300_000;
/** After a timed-out wait: how long the processes get to answer a report request. */
const REPORT_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 15_000;

export interface FleetOptions {
  readonly processes: number;
  readonly followersPerProcess: number;
  readonly targets: readonly FollowTarget[];
  readonly mode: FollowerMode;
}

export interface Delivery {
  /** Wall-clock arrival times, one per follower that had the version in time. */
  readonly times: number[];
  /** Followers that did not have it within the wait. */
  readonly missing: number;
}

export interface FollowerFleet {
  readonly followers: number;
  /** Slowest process's start-up (all its sources connected and holding a first version). */
  readonly startMs: number;
  /** Largest follower process's resident memory, last reported. */
  rssMiB(): number;
  /** Waits until every follower of `target` has `version`, or `timeoutMs`; then what arrived. */
  collect(target: string, version: number, timeoutMs: number): Promise<Delivery>;
  /** Warnings the followers of `target` raised (lost streams, rejected versions), as received. */
  warnings(target: string): readonly string[];
  /** Stops every process; kills what does not stop in time. Safe to call more than once. */
  stop(): Promise<void>;
}

interface Child {
  readonly process: ChildProcess;
  readonly delivered: Map<string, readonly number[]>;
  exited: boolean;
  rssMiB: number;
}

const keyOf = (target: string, version: number): string => `${target}@${version}`;

export async function startFollowerFleet(options: FleetOptions): Promise<FollowerFleet> {
  const warnings = new Map<string, string[]>(options.targets.map((t) => [t.name, []]));
  let failure: Error | undefined;
  // Wakes whoever waits on the children: a delivery, a failure, an exit.
  let wake: () => void = () => {};
  const changed = (): void => wake();
  const nextChange = (ms: number): Promise<void> =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  const children: Child[] = [];
  const stopAll = async (): Promise<void> => {
    await Promise.all(
      children.map(async (child) => {
        if (child.exited) return;
        const exited = new Promise<void>((resolve) => child.process.once('exit', () => resolve()));
        try {
          child.process.send({ type: 'stop' } satisfies ToFollowers);
        } catch {
          // The channel is already closed; the kill below ends it.
        }
        const timer = setTimeout(() => child.process.kill('SIGKILL'), STOP_TIMEOUT_MS);
        await exited;
        clearTimeout(timer);
      }),
    );
  };
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => (stopping ??= stopAll());

  const readyTimes: number[] = [];
  for (let i = 0; i < options.processes; i++) {
    const worker = fork(CHILD, [], {
      // Each source holds its compiled mapping: 500 of them need more than the default heap.
      execArgv: ['--import', 'tsx', '--max-old-space-size=6144'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const child: Child = { process: worker, delivered: new Map(), exited: false, rssMiB: 0 };
    children.push(child);
    worker.on('message', (message: FromFollowers) => {
      if (message.type === 'ready') {
        readyTimes.push(message.startMs);
        child.rssMiB = message.rssMiB;
      } else if (message.type === 'delivered') {
        child.delivered.set(keyOf(message.target, message.version), message.times);
        child.rssMiB = message.rssMiB;
      } else if (message.type === 'warning') {
        warnings.get(message.target)?.push(message.message);
      } else if (message.type === 'failed') {
        failure ??= new Error(`follower process ${i + 1}: ${message.message}`);
      }
      changed();
    });
    worker.on('exit', (code, signal) => {
      child.exited = true;
      if (stopping === undefined) failure ??= new Error(`follower process ${i + 1} exited (${signal ?? `code ${code ?? '?'}`})`);
      changed();
    });
    worker.on('error', (error) => {
      failure ??= error;
      changed();
    });
  }

  try {
    for (const child of children) child.process.send({ type: 'start', targets: options.targets, followers: options.followersPerProcess, mode: options.mode } satisfies ToFollowers);
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (readyTimes.length < children.length) {
      if (failure) throw failure;
      if (Date.now() > deadline) throw new Error(`follower processes not ready within ${READY_TIMEOUT_MS} ms (${readyTimes.length} of ${children.length})`);
      await nextChange(1_000);
    }
  } catch (error) {
    await stop();
    throw error;
  }

  const collect = async (target: string, version: number, timeoutMs: number): Promise<Delivery> => {
    const key = keyOf(target, version);
    const waiting = (): Child[] => children.filter((c) => !c.delivered.has(key));
    const deadline = Date.now() + timeoutMs;
    while (waiting().length > 0 && Date.now() < deadline) {
      if (failure) throw failure;
      await nextChange(deadline - Date.now());
    }
    if (waiting().length > 0) {
      for (const child of waiting()) child.process.send({ type: 'report', target, version } satisfies ToFollowers);
      const reportDeadline = Date.now() + REPORT_TIMEOUT_MS;
      while (waiting().length > 0 && Date.now() < reportDeadline) {
        if (failure) throw failure;
        await nextChange(reportDeadline - Date.now());
      }
    }
    const times = children.flatMap((c) => [...(c.delivered.get(key) ?? [])]);
    for (const child of children) child.delivered.delete(key);
    return { times, missing: children.length * options.followersPerProcess - times.length };
  };

  return {
    followers: children.length * options.followersPerProcess,
    startMs: Math.max(...readyTimes),
    rssMiB: () => Math.max(...children.map((c) => c.rssMiB)),
    collect,
    warnings: (target) => warnings.get(target) ?? [],
    stop,
  };
}
