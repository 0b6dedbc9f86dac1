// The supervisor's control socket: one JSON request per connection, one JSON answer. A unix
// socket in the run directory, so only this user on this machine can reach it and a stale one
// is found (and replaced) with the run directory's other state.
import { createConnection, createServer, type Server } from 'node:net';
import { controlSocketPath } from './platform-run';

export type ControlRequest =
  | { cmd: 'status' }
  | { cmd: 'restart'; name: string }
  /** Stop or kill a component and keep it down until `restart` (fault tests, maintenance). */
  | { cmd: 'hold'; name: string; how: 'stop' | 'kill' }
  | { cmd: 'stop' };

export type ComponentState = 'starting' | 'running' | 'restarting' | 'held' | 'stopping' | 'stopped';

export interface ComponentStatus {
  name: string;
  kind: 'kafka' | 'temporal' | 'app';
  state: ComponentState;
  pids: number[];
  address: string;
  restarts: number;
  /** Since when it has been in its state (ms since the epoch). */
  since: number;
  note?: string;
}

export type ControlResponse = { ok: true; message?: string; components?: ComponentStatus[] } | { ok: false; error: string };

export function serveControl(runDir: string, handle: (request: ControlRequest) => Promise<ControlResponse>): Promise<Server> {
  const server = createServer((socket) => {
    let input = '';
    socket.setEncoding('utf8');
    socket.on('error', () => socket.destroy());
    socket.on('data', (chunk: string) => {
      input += chunk;
      const end = input.indexOf('\n');
      if (end < 0) return;
      let request: ControlRequest;
      try {
        request = JSON.parse(input.slice(0, end)) as ControlRequest;
      } catch {
        socket.end(`${JSON.stringify({ ok: false, error: 'the request is not JSON' })}\n`);
        return;
      }
      handle(request).then(
        (response) => socket.end(`${JSON.stringify(response)}\n`),
        (error: unknown) => socket.end(`${JSON.stringify({ ok: false, error: error instanceof Error ? error.message : String(error) })}\n`),
      );
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(controlSocketPath(runDir), () => {
      server.off('error', reject);
      // The socket must not keep a stopping supervisor alive.
      server.unref();
      resolve(server);
    });
  });
}

/** Sends one request to the supervisor of `runDir`; a restart may take minutes (Kafka). */
export function sendControl(runDir: string, request: ControlRequest, timeoutMs = 300_000): Promise<ControlResponse> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(controlSocketPath(runDir));
    let output = '';
    socket.setEncoding('utf8');
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`the platform did not answer within ${timeoutMs / 1000} s`)));
    socket.on('connect', () => socket.write(`${JSON.stringify(request)}\n`));
    socket.on('data', (chunk: string) => {
      output += chunk;
    });
    let failure: Error | undefined;
    socket.on('error', (error) => {
      failure = new Error(`cannot reach the platform at ${controlSocketPath(runDir)}: ${error.message}`, { cause: error });
    });
    socket.on('close', () => {
      if (failure) return reject(failure);
      try {
        resolve(JSON.parse(output) as ControlResponse);
      } catch {
        reject(new Error(`the platform closed the control socket without a valid answer: "${output.slice(0, 200)}"`));
      }
    });
  });
}
