// Poll until a check passes instead of sleeping a guessed time: start-up of a JVM or a
// server takes from one to many seconds depending on the machine's load.
import { setTimeout as sleep } from 'node:timers/promises';

export interface WaitOptions {
  timeoutMs: number;
  intervalMs?: number;
  what: string;
}

export async function waitFor<T>(check: () => Promise<T | undefined> | T | undefined, options: WaitOptions): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const result = await check();
      if (result !== undefined && result !== false) return result;
    } catch (error) {
      if (error instanceof StopWaiting) throw error;
      lastError = error;
    }
    if (Date.now() > deadline) {
      const reason = lastError instanceof Error ? `: ${lastError.message}` : '';
      throw new Error(`timed out after ${options.timeoutMs} ms waiting for ${options.what}${reason}`, { cause: lastError });
    }
    await sleep(options.intervalMs ?? 250);
  }
}

/** Thrown from a check when waiting longer cannot help (the process being awaited died). */
export class StopWaiting extends Error {}
