import { describe, expect, it, vi } from 'vitest';
import { Supervisor, isDeliberateExit, type SupervisedComponent } from './supervisor';

/** A component whose "process" is a number that a test can make die or fail to start. */
function fakeComponent(name: string) {
  let pid = 0;
  let running = false;
  const fake = {
    startsToFail: 0,
    starts: 0,
    die(): number {
      running = false;
      return pid;
    },
    component: {
      name,
      kind: 'app',
      address: `fake:${name}`,
      async start() {
        fake.starts += 1;
        if (fake.startsToFail > 0) {
          fake.startsToFail -= 1;
          throw new Error(`${name} would not start`);
        }
        pid += 1;
        running = true;
      },
      async stop() {
        running = false;
      },
      async kill() {
        running = false;
      },
      isRunning: () => running,
      pids: () => (pid === 0 ? [] : [pid]),
    } satisfies SupervisedComponent,
  };
  return fake;
}

function supervisorFor(...fakes: ReturnType<typeof fakeComponent>[]) {
  const lines: string[] = [];
  const onFatal = vi.fn<(reason: string) => void>();
  const supervisor = new Supervisor({ say: (line) => lines.push(line), onFatal, restartDelayMs: () => 1, pollMs: 5, maxFailuresInARow: 3 });
  return { supervisor, lines, onFatal, start: () => supervisor.startStage(fakes.map((f) => f.component)) };
}

describe('Supervisor', () => {
  it('restarts a component that crashed and says so, leaving the others alone', async () => {
    const app = fakeComponent('management');
    const other = fakeComponent('worker');
    const { supervisor, lines, onFatal, start } = supervisorFor(app, other);
    await start();
    supervisor.watch();
    supervisor.exited('management', { pid: app.die(), code: null, signal: 'SIGKILL' });
    await vi.waitFor(() => expect(supervisor.status().find((s) => s.name === 'management')).toMatchObject({ state: 'running', restarts: 1, pids: [2] }));
    expect(lines).toContainEqual(expect.stringContaining('management died (killed by SIGKILL); restarting'));
    expect(other.starts).toBe(1);
    expect(onFatal).not.toHaveBeenCalled();
    await supervisor.stopAll();
  });

  it('finds a process that vanished without an exit event by polling', async () => {
    const app = fakeComponent('temporal');
    const { supervisor, start } = supervisorFor(app);
    await start();
    supervisor.watch();
    app.die();
    await vi.waitFor(() => expect(supervisor.status()[0]).toMatchObject({ state: 'running', restarts: 1 }));
    await supervisor.stopAll();
  });

  it('stops the platform when a component cannot be restarted', async () => {
    const app = fakeComponent('fronting-1');
    const { supervisor, onFatal, start } = supervisorFor(app);
    await start();
    app.startsToFail = 10;
    supervisor.exited('fronting-1', { pid: app.die(), code: 1, signal: null });
    await vi.waitFor(() => expect(onFatal).toHaveBeenCalledOnce());
    expect(onFatal.mock.calls[0]![0]).toMatch(/fronting-1 could not be restarted: 3 restarts in a row failed \(last: restart failed: fronting-1 would not start\)/);
    expect(app.starts).toBe(1 + 3);
  });

  it('stops the platform when a component is stopped on purpose, and ignores exits of processes it replaced', async () => {
    const app = fakeComponent('worker');
    const { supervisor, onFatal, start } = supervisorFor(app);
    await start();
    supervisor.exited('worker', { pid: 99, code: 0, signal: null });
    expect(onFatal).not.toHaveBeenCalled();
    supervisor.exited('worker', { pid: app.die(), code: null, signal: 'SIGTERM' });
    expect(onFatal).toHaveBeenCalledWith('worker was stopped (killed by SIGTERM); stopping the platform');
  });

  it('keeps a held component down until restart', async () => {
    const app = fakeComponent('fronting-2');
    const { supervisor, start } = supervisorFor(app);
    await start();
    supervisor.watch();
    await supervisor.hold('fronting-2', 'kill');
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(supervisor.status()[0]).toMatchObject({ state: 'held', pids: [1] });
    expect(app.component.isRunning()).toBe(false);
    await supervisor.restart('fronting-2');
    expect(supervisor.status()[0]).toMatchObject({ state: 'running', pids: [2] });
    await supervisor.stopAll();
  });

  it('tells a stop on purpose from a crash by the exit status', () => {
    expect(isDeliberateExit({ code: 0, signal: null })).toBe(true);
    expect(isDeliberateExit({ code: 143, signal: null })).toBe(true); // a JVM after SIGTERM
    expect(isDeliberateExit({ code: null, signal: 'SIGINT' })).toBe(true);
    expect(isDeliberateExit({ code: null, signal: 'SIGKILL' })).toBe(false);
    expect(isDeliberateExit({ code: 1, signal: null })).toBe(false);
  });
});
