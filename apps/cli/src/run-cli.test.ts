// Command-line mistakes the CLI must catch itself, before any request: each is one line naming the
// flag, the value and what was expected, then the usage, exit code 2. No management service is
// needed, so the URL points where nothing listens; a request would fail with exit code 1.
import { describe, expect, it } from 'vitest';
import { joinDashedValues } from './command';
import type { Output } from './output';
import { runCli } from './run-cli';

async function flotilla(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const output = (json: boolean): Output => ({
    json,
    write: (text) => void (stdout += `${text}\n`),
    error: (text) => void (stderr += `${text}\n`),
  });
  const code = await runCli(argv, { url: 'http://127.0.0.1:1', token: 'unused', tokenFile: '/nonexistent', output });
  return { code, stdout, stderr };
}

describe('integer flags', () => {
  it('rejects a negative value with a usage error naming the flag, the value and what was expected', async () => {
    const run = await flotilla('topics', 'create', 'orders', '--partitions', '-3');

    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')[0]).toBe('flotilla: --partitions: expected a whole number (0 or more), got "-3"');
    expect(run.stderr).toContain('usage: flotilla topics create <name>');
    expect(run.stderr).not.toContain('ambiguous');
  });

  it('rejects a negative value written as --flag=value the same way', async () => {
    const run = await flotilla('quotas', 'set', 'billing', '--bytes-per-sec=-10');

    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')[0]).toBe('flotilla: --bytes-per-sec: expected a whole number (0 or more), got "-10"');
  });

  it.each([['2.5'], ['-0.5'], ['six'], ['1e3']])('rejects the non-integer %s', async (value) => {
    const run = await flotilla('topics', 'create', 'orders', '--partitions', value);

    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')[0]).toBe(`flotilla: --partitions: expected a whole number (0 or more), got "${value}"`);
  });

  it('still reads a flag that is missing its value as a usage error', async () => {
    const run = await flotilla('topics', 'create', 'orders', '--partitions');

    expect(run.code).toBe(2);
    expect(run.stderr).toContain("Option '--partitions <value>' argument missing");
  });
});

describe('routes add', () => {
  it('says which file it could not read, before any request', async () => {
    const run = await flotilla('routes', 'add', '/nonexistent/route.json');

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^flotilla: cannot read the route from \/nonexistent\/route\.json: ENOENT/);
  });

  it('says the route on standard input is not JSON, before any request', async () => {
    let stderr = '';
    const output = (json: boolean): Output => ({ json, write: () => {}, error: (text) => void (stderr += `${text}\n`) });

    const code = await runCli(['routes', 'add', '-'], { url: 'http://127.0.0.1:1', token: 'unused', tokenFile: '/nonexistent', output, stdin: async () => '{ "name": ' });

    expect(code).toBe(1);
    expect(stderr).toMatch(/^flotilla: the route on standard input is not JSON: /);
  });

  it('needs the file argument', async () => {
    const run = await flotilla('routes', 'add', '--replace');

    expect(run.code).toBe(2);
    expect(run.stderr).toContain('usage: flotilla routes add <file.json | -> [--replace]');
  });
});

describe('joinDashedValues', () => {
  const options = { partitions: { type: 'string' }, keyed: { type: 'boolean' } } as const;

  it('joins a dash-led number to the string option before it, and nothing else', () => {
    expect(joinDashedValues(['x', '--partitions', '-3', '--keyed'], options)).toEqual(['x', '--partitions=-3', '--keyed']);
    expect(joinDashedValues(['--keyed', '-3'], options)).toEqual(['--keyed', '-3']);
    expect(joinDashedValues(['--partitions', '--keyed'], options)).toEqual(['--partitions', '--keyed']);
    expect(joinDashedValues(['--partitions=-1'], options)).toEqual(['--partitions=-1']);
  });
});
