// The `flotilla` command against a real management service, real database and real Kafka: what an
// operator types and sees, the JSON a script gets, and the one-line errors with their exit codes.
import { spawn, type ChildProcess } from 'node:child_process';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { testCluster, uniqueName } from '@flotilla/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Output } from './output';
import { runCli } from './run-cli';
import { freePort } from '@flotilla/local-runtime';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

const managementMain = fileURLToPath(new URL('../../management/src/main.ts', import.meta.url));

/** The management service as its own process, exactly as `npm start` runs it. */
async function startManagementProcess(): Promise<{ url: string; adminToken: string; stop(): Promise<void> }> {
  const root = await mkdtemp(join(tmpdir(), 'flotilla-cli-'));
  const port = await freePort();
  const tokenFile = join(root, 'admin-token');
  // Embedded PGlite in a directory of its own, whatever the caller's environment says.
  const { DATABASE_URL: _ignored, ...env } = process.env;
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', managementMain], {
    env: {
      ...env,
      MANAGEMENT_PORT: String(port),
      FLOTILLA_DB_DIR: join(root, 'db'),
      FLOTILLA_ADMIN_TOKEN_FILE: tokenFile,
      FLOTILLA_SECRET_KEY_FILE: join(root, 'secret-key'),
      FLOTILLA_BROKER_SYNC: 'on',
      FLOTILLA_BROKER_SYNC_INTERVAL_MS: '0',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    await rm(root, { recursive: true, force: true });
  };
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (!(await fetch(`${url}/healthz`).then((r) => r.ok, () => false))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`management did not start (exit ${child.exitCode})`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { url, adminToken: (await readFile(tokenFile, 'utf8')).trim(), stop };
}

describe('flotilla CLI', () => {
  let management: Awaited<ReturnType<typeof startManagementProcess>>;

  const run = (stdin: string | undefined) => async (...argv: string[]): Promise<Run> => {
    let stdout = '';
    let stderr = '';
    const output = (json: boolean): Output => ({
      json,
      write: (text) => void (stdout += text.endsWith('\n') ? text : `${text}\n`),
      error: (text) => void (stderr += text.endsWith('\n') ? text : `${text}\n`),
    });
    const code = await runCli(argv, { url: management.url, token: management.adminToken, tokenFile: '/nonexistent', output, ...(stdin === undefined ? {} : { stdin: async () => stdin }) });
    return { code, stdout, stderr };
  };
  /** Runs `flotilla argv…`; `flotilla.withStdin(text)(argv…)` with `text` on standard input. */
  const flotilla = Object.assign(run(undefined), { withStdin: run });

  beforeAll(async () => {
    management = await startManagementProcess();
  }, 60_000);

  afterAll(async () => {
    await management?.stop();
  });

  it('registers and lists clusters as a table and as JSON', async () => {
    const fronting = testCluster('fronting-1');

    const added = await flotilla('clusters', 'add', 'fronting-1', '--role', 'fronting', '--tier', 'medium', '--bootstrap', fronting.bootstrap.join(','));
    const listed = await flotilla('clusters', 'list');
    const json = await flotilla('clusters', 'list', '--json');

    expect(added).toMatchObject({ code: 0, stdout: 'registered cluster fronting-1: fronting (medium), 1 broker(s)\n' });
    expect(listed.stdout.split('\n')[0]).toMatch(/^NAME\s+ROLE\s+TIER\s+STATE\s+BROKERS\s+BOOTSTRAP\s+ZONE$/);
    expect(listed.stdout).toMatch(new RegExp(`fronting-1\\s+fronting\\s+medium\\s+active\\s+1\\s+${fronting.bootstrap[0]}`));
    expect(JSON.parse(json.stdout)).toEqual([expect.objectContaining({ name: 'fronting-1', brokerCount: 1 })]);
  });

  it('creates, describes and deletes a topic', async () => {
    const name = uniqueName('cli-topic');

    const created = await flotilla('topics', 'create', name, '--partitions', '2', '--tier', 'medium');
    const described = await flotilla('topics', 'describe', name, '--json');
    const deleted = await flotilla('topics', 'delete', name);

    expect(created.stdout).toBe(`created topic ${name} on fronting-1: 2 partition(s), 1 replica(s), retention 14400000 ms, tier medium\n`);
    expect(JSON.parse(described.stdout)).toMatchObject({ topic: { name, partitions: 2 }, live: [{ cluster: 'fronting-1', partitions: 2 }] });
    expect(deleted).toMatchObject({ code: 0, stdout: `deleted ${name} on fronting-1\n` });
  });

  it('shows mapping history and a diff', async () => {
    const history = await flotilla('mapping', 'history', '--json');
    const versions = (JSON.parse(history.stdout) as { version: number }[]).map((v) => v.version);

    const diff = await flotilla('mapping', 'diff', '1');

    expect(versions[0]).toBeGreaterThan(1);
    expect(diff.stdout.split('\n')[0]).toBe(`version 1 → ${versions[0]}`);
  });

  it('issues a token once, and policies answer with exit codes', async () => {
    const app = uniqueName('cliapp').toLowerCase();
    await flotilla('apps', 'add', app, '--owner', 'team');
    const issued = JSON.parse((await flotilla('tokens', 'issue', app, '--role', 'viewer', '--json')).stdout) as { token: string };
    await flotilla('policies', 'add', app, 'GET', '/topics/orders.*', 'allow');

    const allowed = await flotilla('policies', 'check', app, 'GET', '/topics/orders.eu');
    const denied = await flotilla('policies', 'check', app, 'PUT', '/topics/orders.eu');
    const tokens = await flotilla('tokens', 'list', '--app', app);

    // The secret is base64url, so it may hold (or start with) an underscore itself.
    const [, tokenId, secret] = /^flt_([0-9a-f]{16})_([A-Za-z0-9_-]{43,})$/.exec(issued.token) ?? [];
    expect(tokenId, `token ${issued.token}`).toBeDefined();
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).toMatch(/^allowed: /);
    expect(denied.code).toBe(3);
    expect(tokens.stdout).toContain(tokenId);
    expect(tokens.stdout).not.toContain(secret);
  });

  it('issues a client certificate into files from a key made locally, registered as the application\'s credential, and never overwrites a key', async () => {
    const app = uniqueName('certapp').toLowerCase();
    await flotilla('apps', 'add', app, '--owner', 'team');
    const out = await mkdtemp(join(tmpdir(), 'flotilla-certs-'));
    try {
      const issued = await flotilla('certs', 'issue', app, '--out', out, '--days', '30', '--json');
      const summary = JSON.parse(issued.stdout) as { credential: string; subject: string; files: { key: string; certificate: string; ca: string } };
      const [key, certificate, ca] = await Promise.all([readFile(summary.files.key, 'utf8'), readFile(summary.files.certificate, 'utf8'), readFile(summary.files.ca, 'utf8')]);
      const parsed = new X509Certificate(certificate);
      const credentials = JSON.parse((await flotilla('tokens', 'list', '--app', app, '--json')).stdout) as { id: string; kind: string; subject: string }[];
      const again = await flotilla('certs', 'issue', app, '--out', out);
      const printedCa = await flotilla('certs', 'ca');

      expect(issued.code).toBe(0);
      expect(summary.subject).toMatch(new RegExp(`^${app}\\.[0-9a-f]{8}$`));
      expect(parsed.subject).toBe(`CN=${summary.subject}`);
      expect(parsed.verify(new X509Certificate(ca).publicKey)).toBe(true);
      expect(parsed.checkPrivateKey(createPrivateKey(key))).toBe(true);
      expect((await stat(summary.files.key)).mode & 0o777).toBe(0o600);
      expect(credentials).toEqual([expect.objectContaining({ id: summary.credential, kind: 'mtls', subject: summary.subject })]);
      expect(again.code).toBe(2);
      expect(again.stderr).toContain(`${summary.files.key} exists`);
      expect(printedCa.stdout.trim()).toBe(ca.trim());
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });

  it('issues a server certificate for the hosts given, and refuses one without hosts', async () => {
    const out = await mkdtemp(join(tmpdir(), 'flotilla-certs-'));
    try {
      const issued = await flotilla('certs', 'server', 'proxy', '--host', '127.0.0.1,localhost', '--out', out);
      const missing = await flotilla('certs', 'server', 'proxy', '--out', out);

      expect(issued.code).toBe(0);
      expect(new X509Certificate(await readFile(join(out, 'proxy.crt'), 'utf8')).subjectAltName).toBe('IP Address:127.0.0.1, DNS:localhost');
      expect(missing.code).toBe(2);
      expect(missing.stderr).toContain('missing --host');
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });

  it('rotates an application\'s Kafka credential (password shown once), syncs the brokers and revokes it', async () => {
    const app = uniqueName('kafkaapp').toLowerCase();
    await flotilla('apps', 'add', app, '--owner', 'team');
    await flotilla('policies', 'add', app, 'PUT', '/topics/payments.*', 'allow');

    const rotated = await flotilla('credentials', 'rotate', app);
    const listed = await flotilla('credentials', 'list');
    const dryRun = await flotilla('policies', 'sync', '--dry-run');
    const revoked = await flotilla('credentials', 'revoke', app);
    const again = await flotilla('credentials', 'revoke', app);

    expect(rotated.code).toBe(0);
    expect(rotated.stdout).toMatch(new RegExp(`username:\\s+${app}`));
    expect(rotated.stdout).toMatch(/password \(store it now, it is not shown again\): [A-Za-z0-9_-]{43}/);
    expect(rotated.stdout).toMatch(/fronting-1\s+true/);
    expect(listed.stdout).toMatch(new RegExp(`${app}\\s+1\\s`));
    expect(dryRun).toMatchObject({ code: 0, stdout: 'every cluster matches the registry (1 cluster(s))\n' });
    expect(revoked.stdout).toBe(`revoked the Kafka credential of ${app}; the brokers refuse it from now on\n`);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`Kafka credential of application "${app}" not found`);
  });

  it('adds a route from a file and from standard input, lists, describes, pauses, resumes and removes it', async () => {
    const source = uniqueName('cli-clicks');
    const destination = uniqueName('cli-clicks-eu');
    const name = uniqueName('cli-route');
    await flotilla('topics', 'create', source, '--tier', 'medium');
    await flotilla('topics', 'create', destination, '--tier', 'medium');
    const dir = await mkdtemp(join(tmpdir(), 'flotilla-route-'));
    const file = join(dir, 'route.json');
    try {
      await writeFile(file, JSON.stringify({ name, source, destinations: [{ topic: destination }], steps: [{ filter: "value.region = 'eu'" }] }));

      const added = await flotilla('routes', 'add', file);
      const again = await flotilla('routes', 'add', file);
      const listed = await flotilla('routes', 'list');
      const described = await flotilla('routes', 'describe', name, '--json');
      const paused = await flotilla('routes', 'pause', name);
      const human = await flotilla('routes', 'describe', name);
      const resumed = await flotilla('routes', 'resume', name, '--json');
      const replaced = await flotilla.withStdin(JSON.stringify({ name, source, destinations: [{ topic: destination }], keyed: true }))('routes', 'add', '-', '--replace');
      const removed = await flotilla('routes', 'remove', name);

      expect(added.code, added.stderr).toBe(0);
      expect(added.stdout).toMatch(new RegExp(`^added route ${name} \\(active\\): ${source} → ${destination}; created dead-letter topic ${name}\\.dlq on fronting-1; route set version \\d+\n$`));
      expect(again).toMatchObject({ code: 1, stderr: `flotilla: route "${name}" already exists; add it with --replace (replace: true) to change it\n` });
      expect(listed.stdout.split('\n')[0]).toMatch(/^NAME\s+STATE\s+SOURCE\s+DESTINATIONS\s+STEPS\s+KEYED\s+DEAD LETTER\s+UPDATED BY\s+UPDATED$/);
      expect(listed.stdout).toMatch(new RegExp(`${name}\\s+active\\s+${source}\\s+${destination}\\s+1\\s+false\\s+${name}\\.dlq`));
      expect(JSON.parse(described.stdout)).toMatchObject({ route: { name, state: 'active', definition: { source, deadLetterTopic: `${name}.dlq` } }, instances: [] });
      expect(paused.stdout).toMatch(new RegExp(`^paused route ${name} \\(route set version \\d+\\)\n$`));
      expect(human.stdout).toMatch(/^name: +\S+\nstate: +paused\n/);
      expect(human.stdout).toContain(`steps:\n  1. {"filter":"value.region = 'eu'"}`);
      expect(human.stdout).toContain('instances: none reporting');
      expect(JSON.parse(resumed.stdout)).toMatchObject({ name, state: 'active', changed: true });
      expect(replaced.stdout).toMatch(new RegExp(`^replaced route ${name} \\(active\\): .*; dead-letter topic ${name}\\.dlq;`));
      expect(removed.stdout).toMatch(new RegExp(`^removed route ${name} \\(route set version \\d+\\); its dead-letter topic ${name}\\.dlq stays`));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a malformed route naming the field, with exit code 1', async () => {
    const run = await flotilla.withStdin(JSON.stringify({ name: 'broken', source: 'x', destinations: [{ topic: 'y' }], steps: [{ filtre: 'true' }] }))('routes', 'add', '-');

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^flotilla: invalid route "broken": steps\[0\]/);
  });

  it('prints one readable line and exits 1 when the request fails', async () => {
    const run = await flotilla('topics', 'describe', 'no-such-topic');

    expect(run).toEqual({ code: 1, stdout: '', stderr: 'flotilla: topic "no-such-topic" not found\n' });
  });

  it('exits 2 with the usage on a mistake in the command line', async () => {
    const badTier = await flotilla('topics', 'create', 'x', '--tier', 'gold');
    const unknown = await flotilla('topics', 'frobnicate');

    expect(badTier.code).toBe(2);
    expect(badTier.stderr).toContain('flotilla: --tier: expected low, medium or high, got "gold"');
    expect(badTier.stderr).toContain('usage: flotilla topics create <name>');
    expect(unknown.stderr).toContain('unknown command "topics frobnicate"');
  });

  it('says where it tried when the management service is not there', async () => {
    let stderr = '';
    const output = (json: boolean): Output => ({ json, write: () => {}, error: (text) => void (stderr += text) });

    const code = await runCli(['clusters', 'list'], { url: 'http://127.0.0.1:1', token: undefined, tokenFile: '/nonexistent', output });

    expect(code).toBe(1);
    expect(stderr).toContain('cannot reach the management service at http://127.0.0.1:1');
  });
});
