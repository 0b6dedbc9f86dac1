// Keeps the components of the local platform running. A component that dies is reported and
// restarted with backoff; one that will not come back, or one stopped on purpose (a clean exit
// or a SIGTERM/SIGINT to it), stops the whole platform: there is never a half-running platform.
import type { ProcessExit } from './managed-process';
import type { ComponentState, ComponentStatus } from './platform-control';
import { setTimeout as sleep } from 'node:timers/promises';
import { backoffDelay } from '@flotilla/retry';

export interface SupervisedComponent {
  readonly name: string;
  readonly kind: ComponentStatus['kind'];
  readonly address: string;
  /** Starts what is not running (a Kafka cluster on its data) and resolves once it serves. */
  start(): Promise<void>;
  stop(): Promise<void>;
  kill(): Promise<void>;
  isRunning(): boolean;
  /** The processes it runs now; an exit of any other pid is an old one's and is ignored. */
  pids(): number[];
}

export interface SupervisorOptions {
  say: (line: string) => void;
  /** Called once when the platform must stop (a deliberate stop, or a component gave up). */
  onFatal: (reason: string) => void;
  /** Consecutive failed restarts after which the platform stops. */
  maxFailuresInARow?: number;
  /** A component up this long has recovered: its next death starts the backoff afresh. */
  stableAfterMs?: number;
  /** Delay before restart attempt n (1, 2, …). */
  restartDelayMs?: (attempt: number) => number;
  pollMs?: number;
}

/** 1 s, 2 s, 4 s, … up to 30 s: quick for a one-off crash, gentle on a crash loop. */
export const defaultRestartDelayMs = (attempt: number): number => backoffDelay({ initialMs: 1_000, maxMs: 30_000 }, attempt - 1);

interface Entry {
  component: SupervisedComponent;
  state: ComponentState;
  since: number;
  restarts: number;
  failuresInARow: number;
  note?: string;
  /** Serialises start, stop, restart and hold of one component. */
  queue: Promise<unknown>;
}

/** A clean exit or a terminating signal is someone stopping it on purpose, not a crash. */
export function isDeliberateExit({ code, signal }: Pick<ProcessExit, 'code' | 'signal'>): boolean {
  if (signal !== null) return signal === 'SIGTERM' || signal === 'SIGINT' || signal === 'SIGHUP';
  // 128 + signal number: how a JVM or a shell reports a SIGHUP, SIGINT or SIGTERM it handled.
  return code === 0 || code === 129 || code === 130 || code === 143;
}

export function describeExit({ code, signal }: Pick<ProcessExit, 'code' | 'signal'>): string {
  return signal !== null ? `killed by ${signal}` : `exit code ${code}`;
}

export class Supervisor {
  readonly #options: Required<SupervisorOptions>;
  readonly #entries = new Map<string, Entry>();
  readonly #stages: string[][] = [];
  #poll: NodeJS.Timeout | undefined;
  #stopping = false;

  constructor(options: SupervisorOptions) {
    this.#options = { maxFailuresInARow: 5, stableAfterMs: 60_000, restartDelayMs: defaultRestartDelayMs, pollMs: 1_000, ...options };
  }

  get stopping(): boolean {
    return this.#stopping;
  }

  /** Components of one stage start together, after the previous stage; they stop in reverse. */
  async startStage(components: readonly SupervisedComponent[]): Promise<void> {
    this.#stages.push(components.map((c) => c.name));
    for (const component of components) {
      this.#entries.set(component.name, { component, state: 'starting', since: Date.now(), restarts: 0, failuresInARow: 0, queue: Promise.resolve() });
    }
    await Promise.all(
      components.map(async (component) => {
        const t0 = Date.now();
        await component.start();
        this.#setState(this.#entry(component.name), 'running');
        this.#options.say(`${component.name} ready at ${component.address} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      }),
    );
  }

  /** Checks every component's processes from now on (exits are also reported through `exited`). */
  watch(): void {
    this.#poll ??= setInterval(() => this.#check(), this.#options.pollMs);
  }

  /** A component's process ended; `exit` says how. */
  exited(name: string, exit: ProcessExit): void {
    const entry = this.#entries.get(name);
    if (!entry || this.#stopping || entry.state !== 'running') return;
    if (!entry.component.pids().includes(exit.pid)) return;
    if (isDeliberateExit(exit)) {
      this.#fatal(`${name} was stopped (${describeExit(exit)}); stopping the platform`);
      return;
    }
    this.#crashed(entry, describeExit(exit));
  }

  status(): ComponentStatus[] {
    return [...this.#entries.values()].map(({ component, state, since, restarts, note }) => ({
      name: component.name,
      kind: component.kind,
      address: component.address,
      state,
      since,
      restarts,
      pids: component.pids(),
      ...(note === undefined ? {} : { note }),
    }));
  }

  names(): string[] {
    return [...this.#entries.keys()];
  }

  /** Stops and starts one component (the rest keep running); brings a held one back. */
  restart(name: string): Promise<void> {
    const entry = this.#entry(name);
    return this.#serially(entry, async () => {
      this.#setState(entry, 'restarting', 'restart requested');
      this.#options.say(`restarting ${name}`);
      await entry.component.stop();
      try {
        await this.#startAgain(entry);
      } catch (error) {
        // Asked for, yet failing like a crash: the same backoff, the same limit.
        await this.#recover(entry, `restart failed: ${(error as Error).message.split('\n')[0]}`).catch((failure: unknown) => {
          this.#fatal(`${name} could not be restarted: ${(failure as Error).message}; stopping the platform`);
          throw failure;
        });
      }
    });
  }

  /** Stops or kills one component and keeps it down until `restart`. */
  hold(name: string, how: 'stop' | 'kill'): Promise<void> {
    const entry = this.#entry(name);
    return this.#serially(entry, async () => {
      this.#setState(entry, 'held', how === 'kill' ? 'killed on request; `restart` brings it back' : 'stopped on request; `restart` brings it back');
      this.#options.say(`${how === 'kill' ? 'killing' : 'stopping'} ${name} on request; it stays down until restarted`);
      await (how === 'kill' ? entry.component.kill() : entry.component.stop());
    });
  }

  /** Stops every component, latest stage first; safe to call more than once. */
  async stopAll(): Promise<void> {
    this.#stopping = true;
    if (this.#poll) clearInterval(this.#poll);
    for (const stage of [...this.#stages].reverse()) {
      await Promise.all(
        stage.map(async (name) => {
          const entry = this.#entry(name);
          this.#setState(entry, 'stopping');
          try {
            await entry.component.stop();
          } catch (error) {
            this.#options.say(`stopping ${name} failed (${(error as Error).message}); killing it`);
            await entry.component.kill();
          }
          this.#setState(entry, 'stopped');
        }),
      );
    }
  }

  #check(): void {
    for (const entry of this.#entries.values()) {
      if (entry.state !== 'running') continue;
      if (!entry.component.isRunning()) this.#crashed(entry, 'its process is gone');
    }
  }

  #crashed(entry: Entry, how: string): void {
    const { name } = entry.component;
    // Up for a while before this death: a fresh fault, not the same one again.
    if (Date.now() - entry.since >= this.#options.stableAfterMs) entry.failuresInARow = 0;
    this.#setState(entry, 'restarting', `died (${how})`);
    void this.#serially(entry, () => this.#recover(entry, how)).catch((error: unknown) => {
      this.#fatal(`${name} could not be restarted: ${(error as Error).message}; stopping the platform`);
    });
  }

  async #recover(entry: Entry, how: string): Promise<void> {
    const { name } = entry.component;
    for (;;) {
      entry.failuresInARow += 1;
      if (entry.failuresInARow > this.#options.maxFailuresInARow) {
        throw new Error(`${this.#options.maxFailuresInARow} restarts in a row failed (last: ${entry.note ?? how})`);
      }
      const delay = this.#options.restartDelayMs(entry.failuresInARow);
      this.#options.say(`${name} died (${how}); restarting in ${(delay / 1000).toFixed(1)} s (attempt ${entry.failuresInARow} of ${this.#options.maxFailuresInARow})`);
      await sleep(delay);
      if (this.#stopping) return;
      try {
        // Whatever is left of it (one broker of three, a hung process) goes first.
        await entry.component.kill();
        await this.#startAgain(entry);
        return;
      } catch (error) {
        if (this.#stopping) return;
        how = `restart failed: ${(error as Error).message.split('\n')[0]}`;
        entry.note = how;
      }
    }
  }

  async #startAgain(entry: Entry): Promise<void> {
    const t0 = Date.now();
    await entry.component.start();
    if (this.#stopping) return;
    entry.restarts += 1;
    this.#setState(entry, 'running');
    this.#options.say(`${entry.component.name} is back at ${entry.component.address} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  }

  #serially<T>(entry: Entry, job: () => Promise<T>): Promise<T> {
    const run = entry.queue.then(job, job);
    entry.queue = run.catch(() => undefined);
    return run;
  }

  #fatal(reason: string): void {
    if (this.#stopping) return;
    this.#options.say(reason);
    this.#options.onFatal(reason);
  }

  #setState(entry: Entry, state: ComponentState, note?: string): void {
    entry.state = state;
    entry.since = Date.now();
    if (note === undefined) delete entry.note;
    else entry.note = note;
  }

  #entry(name: string): Entry {
    const entry = this.#entries.get(name);
    if (!entry) throw new Error(`no component "${name}" (the platform has ${this.names().join(', ')})`);
    return entry;
  }
}
