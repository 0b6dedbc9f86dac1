// One-shot commands (mvn, pip, java tools): output captured, and a failure carries the
// command line and the tail of what it printed, so the person reading the error can act.
import { spawn } from 'node:child_process';

export interface RunCommandOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Stream output to this process's stderr as well (long downloads show progress). */
  echo?: boolean;
  timeoutMs?: number;
}

export function runCommand(command: string, args: readonly string[], options: RunCommandOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (chunk: Buffer): void => {
      output += chunk.toString();
      if (output.length > 1_000_000) output = output.slice(-500_000);
      if (options.echo === true) process.stderr.write(chunk);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const timer =
      options.timeoutMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.on('error', (error) => {
      if (timer) clearTimeout(timer);
      reject(new Error(`could not run ${command}: ${error.message}`, { cause: error }));
    });
    child.on('close', (code, sig) => {
      if (timer) clearTimeout(timer);
      if (code === 0) resolve(output);
      else {
        const tail = output.split('\n').slice(-25).join('\n');
        reject(new Error(`${command} ${args.join(' ')} failed (${sig ?? `exit ${code}`}):\n${tail}`));
      }
    });
  });
}
