// `npm start` as a user runs it, on its own ports (FLOTILLA_PORT_OFFSET, 500 above the test
// fleet's) and its own run directory: a component killed with kill -9 comes back and the
// platform keeps serving; `npm run kafka` acts on its clusters; SIGTERM to the npm process leaves
// no Kafka, Temporal or Node process behind. One platform for the whole file: it takes most of
// a minute to start on a 2-core machine.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { Connection } from '@temporalio/client';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { isAlive, readPid, workspaceRoot } from '@flotilla/local-runtime';
import { uniqueName } from '@flotilla/testing';
import { startNpmPlatform, type NpmStartPlatform } from './npm-start-platform';

const run = promisify(execFile);
let platform: NpmStartPlatform | undefined;

function started(): NpmStartPlatform {
  if (!platform) throw new Error('npm start did not start (see beforeAll)');
  return platform;
}

async function platformCommand(script: 'platform' | 'kafka', ...args: string[]): Promise<string> {
  const { stdout } = await run('npm', ['run', '-s', script, '--', ...args], { cwd: workspaceRoot, env: started().env, timeout: 180_000 });
  return stdout;
}

async function managementServes(): Promise<void> {
  const response = await fetch(`${started().managementUrl}/v1/mapping`);
  expect(response.status).toBe(200);
  const mapping = JSON.stringify(await response.json());
  expect(mapping).toContain('fronting-1');
}

beforeAll(async () => {
  platform = await startNpmPlatform();
}, 300_000);

afterAll(async () => {
  // Whatever the tests did: nothing of the platform is left running.
  await platform?.stop();
}, 120_000);

describe('npm start supervises what it starts', () => {
  it('brings management back after kill -9, and it serves the mapping again', async () => {
    const before = started().pidOf('management');
    expect(before).toBeDefined();
    process.kill(before!, 'SIGKILL');
    await vi.waitFor(
      async () => {
        const now = started().pidOf('management');
        expect(now).toBeDefined();
        expect(now).not.toBe(before);
        await managementServes();
      },
      { timeout: 90_000, interval: 250 },
    );
    expect(started().output()).toContain('management died (killed by SIGKILL)');
  });

  it('runs a router that heartbeats with the data-plane token management keeps for it', async () => {
    const adminToken = readFileSync(join(started().runDir, 'admin-token'), 'utf8').trim();
    await vi.waitFor(
      async () => {
        const response = await fetch(`${started().managementUrl}/trpc/clients.list`, { headers: { authorization: `Bearer ${adminToken}` } });
        const body = (await response.json()) as { result?: { data?: unknown } };
        expect(body.result?.data).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'router', application: 'flotilla-router' })]));
      },
      { timeout: 30_000, interval: 500 },
    );
  });

  it('brings the worker back after kill -9, polling Temporal again, while management keeps serving', async () => {
    const before = started().pidOf('worker');
    expect(before).toBeDefined();
    process.kill(before!, 'SIGKILL');
    const connection = await Connection.connect({ address: started().temporalAddress });
    try {
      await vi.waitFor(
        async () => {
          const now = started().pidOf('worker');
          expect(now).toBeDefined();
          expect(now).not.toBe(before);
          // The SDK's default identity is `<pid>@<host>`: the new process polls the task queue.
          const { pollers } = await connection.workflowService.describeTaskQueue({
            namespace: 'default',
            taskQueue: { name: 'flotilla-operations' },
            taskQueueType: 1,
          });
          expect(pollers.map((p) => p.identity)).toContainEqual(expect.stringMatching(new RegExp(`^${now}@`)));
        },
        { timeout: 90_000, interval: 500 },
      );
    } finally {
      await connection.close();
    }
    await managementServes();
    const status = await platformCommand('platform', 'status');
    expect(status).toMatch(/^worker\s+running\s+\S+ s\s+1\s/m);
    expect(status).toMatch(/^management\s+running\s+\S+ \S+\s+1\s/m);
  });

  it('holds a cluster killed by `npm run kafka -- kill` down until `restart` brings it back with its data', async () => {
    const topic = uniqueName('platform-restart');
    const kafka = new Kafka({ clientId: 'npm-start-test', brokers: [started().fronting1], logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true });
    await admin.disconnect();

    expect(await platformCommand('kafka', 'kill', 'fronting-1')).toContain('fronting-1 killed');
    const status = await platformCommand('kafka', 'status');
    expect(status).toMatch(/fronting-1\s+held\s/);
    // Held, not restarted behind the operator's back (the supervisor checks every second).
    await sleep(2_500);
    expect(readPid(join(started().runDir, 'fronting-1', 'broker-0', 'pid'))).toBeUndefined();

    expect(await platformCommand('kafka', 'restart', 'fronting-1')).toContain('fronting-1 restarted');
    const reopened = kafka.admin();
    await reopened.connect();
    try {
      expect(await reopened.listTopics()).toContain(topic);
    } finally {
      await reopened.disconnect();
    }
    await expect(platformCommand('kafka', 'start', 'fronting-1')).rejects.toThrow(/cluster of npm start's fleet/);
  });

  it('stops everything on SIGTERM to the npm process, leaving no Kafka, Temporal or Node process', async () => {
    const { npm, runDir, pidOf, processesOfRunDir, exited } = started();
    const supervisor = JSON.parse(readFileSync(join(runDir, 'platform.json'), 'utf8')) as { pid: number };
    const apps = [pidOf('management'), pidOf('worker')].filter((pid): pid is number => pid !== undefined);
    const servers = processesOfRunDir();
    // Three brokers, Temporal and the watchdog name the run directory on their command lines.
    expect(servers.length).toBeGreaterThanOrEqual(5);
    expect(apps).toHaveLength(2);

    process.kill(npm.pid!, 'SIGTERM');
    await vi.waitFor(() => expect(exited()).toBe(true), { timeout: 60_000, interval: 200 });
    await vi.waitFor(
      () => {
        const left = [supervisor.pid, ...apps, ...servers, ...processesOfRunDir()].filter((pid) => isAlive(pid));
        expect(left).toEqual([]);
      },
      { timeout: 10_000, interval: 200 },
    );
    expect(started().output()).toContain('stopped');
  });
});
