// Management with Temporal down (its address is a free port where nothing listens): it still
// starts and serves, an operation call answers HTTP 503 with a message that says what is wrong,
// the CLI prints that one line, a refused start leaves no operation behind, and the log has one
// warning per refused call, no error and no stack.
import { Writable } from 'node:stream';
import { createRegistry } from '@flotilla/db';
import { createLogger } from '@flotilla/observability';
import { testCluster, uniqueName } from '@flotilla/testing';
import { runCli } from '@flotilla/cli';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startManagementHarness, type ManagementHarness } from '@flotilla/management/testing';
import { freePort } from '@flotilla/local-runtime';

interface LogLine {
  readonly level: number;
  readonly msg: string;
  readonly [field: string]: unknown;
}

describe('management while Temporal is down', () => {
  let management: ManagementHarness;
  let temporalAddress: string;
  let topic: string;
  let target: string;
  const logged: LogLine[] = [];
  const expectedMessage = () => `Temporal at ${temporalAddress} is not answering: operations cannot be started or followed until it is back`;

  const trpc = (procedure: string, init: { input: unknown; mutation?: boolean }): Promise<Response> => {
    const headers = { authorization: `Bearer ${management.adminToken}`, 'content-type': 'application/json' };
    const url = `${management.url}/trpc/${procedure}`;
    return init.mutation
      ? fetch(url, { method: 'POST', headers, body: JSON.stringify(init.input) })
      : fetch(`${url}?input=${encodeURIComponent(JSON.stringify(init.input))}`, { headers });
  };

  const flotilla = async (...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> => {
    let stdout = '';
    let stderr = '';
    const code = await runCli(argv, {
      url: management.url,
      token: management.adminToken,
      tokenFile: '/nonexistent',
      output: (json) => ({ json, write: (text) => void (stdout += `${text}\n`), error: (text) => void (stderr += `${text}\n`) }),
    });
    return { code, stdout, stderr };
  };

  beforeAll(async () => {
    temporalAddress = `127.0.0.1:${await freePort()}`;
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) logged.push(JSON.parse(line) as LogLine);
        done();
      },
    });
    const logger = createLogger({ service: 'management-test', level: 'info', destination });
    management = await startManagementHarness('pglite', { TEMPORAL_ADDRESS: temporalAddress }, { logger });
    const admin = management.admin();
    for (const name of ['fronting-1', 'fronting-2']) {
      await admin.clusters.add.mutate({ name, role: 'fronting', tier: 'medium', bootstrap: testCluster(name).bootstrap });
    }
    topic = uniqueName('unavailable');
    const created = await admin.topics.create.mutate({ name: topic, tier: 'medium', partitions: 1 });
    target = created.placement.producers[0] === 'fronting-1' ? 'fronting-2' : 'fronting-1';
  });

  afterAll(async () => {
    await management?.admin().topics.delete.mutate({ name: topic }).catch(() => undefined);
    await management?.stop();
  });

  it('answers a move with 503 and the reason, and records no operation', async () => {
    const response = await trpc('operations.moveTopic', { input: { topic, to: target }, mutation: true });
    const body = (await response.json()) as { error: { message: string; data: { httpStatus: number; flotilla: { code: string; retryable: boolean } } } };

    expect(response.status).toBe(503);
    expect(body.error.message).toBe(expectedMessage());
    expect(body.error.data).toMatchObject({ httpStatus: 503, flotilla: { code: 'UNAVAILABLE', retryable: true } });
    expect(await management.admin().operations.list.query({ subject: topic })).toEqual([]);
  });

  it('answers an operation status with 503 and the reason', async () => {
    const workflowId = `topic-move:${topic}:stale`;
    await createRegistry(management.running.services.db).operations.start({ workflowId, kind: 'topic-move', subject: topic, input: {}, startedBy: 'test' });

    const response = await trpc('operations.status', { input: { workflowId } });
    const body = (await response.json()) as { error: { message: string } };

    expect(response.status).toBe(503);
    expect(body.error.message).toBe(expectedMessage());
  });

  it('makes the CLI print that one line and exit 1', async () => {
    const move = await flotilla('topics', 'move', topic, '--to', target);
    const status = await flotilla('operations', 'status', `topic-move:${topic}:stale`);

    expect(move).toEqual({ code: 1, stdout: '', stderr: `flotilla: ${expectedMessage()}\n` });
    expect(status).toEqual({ code: 1, stdout: '', stderr: `flotilla: ${expectedMessage()}\n` });
  });

  it('logs each refused call as one warning, with no error and no stack', () => {
    const refused = logged.filter((line) => line.msg === 'procedure unavailable');

    expect(refused.map((line) => line['path'])).toEqual(['operations.moveTopic', 'operations.status', 'operations.moveTopic', 'operations.status']);
    expect(refused.every((line) => line.level === 40 && line['reason'] === expectedMessage())).toBe(true);
    expect(logged.filter((line) => line.level >= 50)).toEqual([]);
    expect(JSON.stringify(logged)).not.toMatch(/\n\s+at /);
  });
});
