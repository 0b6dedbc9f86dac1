import type { Operation, OperationState, Registry } from '@flotilla/db';
import { ConflictError } from '@flotilla/errors';
import { describe, expect, it } from 'vitest';
import type { OperationStatus, OperationsGateway } from './operations-gateway';
import { refuseIfRunning, runningOperations } from './running-operations';

const row = (workflowId: string): Operation => ({ workflowId, kind: 'cluster-failover', subject: 'f1', input: {}, state: 'running', startedBy: 'ops/1', error: null, createdAt: new Date(0), updatedAt: new Date(0) });

function world(statuses: Record<string, OperationStatus>) {
  const settled: [string, OperationState, string | null][] = [];
  const registry = {
    operations: {
      running: async () => Object.keys(statuses).map(row),
      setState: async (workflowId: string, state: OperationState, error: string | null) => void settled.push([workflowId, state, error]),
    },
  } as unknown as Registry;
  const gateway = { status: async (workflowId: string) => statuses[workflowId] } as unknown as OperationsGateway;
  return { registry, gateway, settled };
}

describe('runningOperations', () => {
  it('asks Temporal about every row that says running: settles the ended ones, returns the rest with their status', async () => {
    const { registry, gateway, settled } = world({ 'a:1': { status: 'failed', error: 'boom' }, 'a:2': { status: 'running' }, 'a:3': { status: 'completed' } });
    const running = await runningOperations(registry, gateway, 'f1');
    expect(running.map((r) => [r.operation.workflowId, r.status.status])).toEqual([['a:2', 'running']]);
    expect(settled).toEqual([
      ['a:1', 'failed', 'boom'],
      ['a:3', 'completed', null],
    ]);
  });
});

describe('refuseIfRunning', () => {
  it('refuses naming what was asked and the operations that still run', async () => {
    const { registry, gateway } = world({ 'cluster-failover:f1:1': { status: 'running' } });
    const refusal = refuseIfRunning(registry, gateway, 'f1', 'fail it over');
    await expect(refusal).rejects.toThrow(ConflictError);
    await expect(refuseIfRunning(registry, gateway, 'f1', 'fail it over')).rejects.toThrow('cannot fail it over: it already has a running operation (cluster-failover:f1:1)');
  });

  it('lets the operation start once the earlier ones ended', async () => {
    const { registry, gateway } = world({ 'cluster-failover:f1:1': { status: 'aborted' } });
    await expect(refuseIfRunning(registry, gateway, 'f1', 'fail it over')).resolves.toBeUndefined();
  });
});
