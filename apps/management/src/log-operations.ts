// Logs each operation management starts or signals, at info, after Temporal accepted it: with the
// worker's activity log and the mapping feed's versions, the management terminal tells what
// operators set in motion. Generic over the gateway, so a start added later is logged too.
import { logSummary, type Logger } from '@flotilla/observability';

/** Wraps `start*` and `signal` of an operations gateway; everything else passes through. */
export function logOperations<T extends object>(gateway: T, logger: Logger): T {
  const wrapped = Object.entries(gateway).map(([name, value]: [string, unknown]) => {
    if (typeof value !== 'function') return [name, value];
    const method = value as (...args: unknown[]) => Promise<unknown>;
    if (name === 'signal') {
      return [
        name,
        async (workflowId: unknown, signal: unknown): Promise<unknown> => {
          const result = await method.call(gateway, workflowId, signal);
          logger.info({ workflowId, signal }, 'operation signalled');
          return result;
        },
      ];
    }
    if (!/^start[A-Z]/.test(name)) return [name, value];
    // startClusterFailover → cluster-failover
    const kind = name.slice('start'.length).replace(/[A-Z]/g, (letter, at: number) => `${at === 0 ? '' : '-'}${letter.toLowerCase()}`);
    return [
      name,
      async (workflowId: unknown, input: unknown): Promise<unknown> => {
        const result = await method.call(gateway, workflowId, input);
        logger.info({ workflowId, kind, input: logSummary(input) }, 'operation started');
        return result;
      },
    ];
  });
  return Object.fromEntries(wrapped) as T;
}
