// Parses `flotilla <group> <verb> [args] [options]`, calls the management API, prints the answer
// and returns the exit code: 0 done, 1 the request failed (one readable line), 2 a usage mistake.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { AppRouter } from '@flotilla/api';
import { createTRPCClient, httpLink, TRPCClientError } from '@trpc/client';
import { joinDashedValues, UsageError, type Command, type CommandGroup } from './command';
import { readStandardInput } from './input';
import { capacity } from './commands/capacity';
import { credentials, policiesSync } from './commands/kafka-credentials';
import { certs } from './commands/certs';
import { clients } from './commands/clients';
import { clusters } from './commands/clusters';
import { mapping } from './commands/mapping';
import { clusterOperations, operations, topicExpand, topicMove } from './commands/operations';
import { routes } from './commands/routes';
import { topics } from './commands/topics';
import { apps, policies, quotas, tokens } from './commands/tenancy';
import type { Output } from './output';

export const groups: Readonly<Record<string, CommandGroup>> = {
  clusters: { ...clusters, ...clusterOperations },
  topics: { ...topics, move: topicMove, expand: topicExpand },
  mapping,
  apps,
  tokens,
  certs,
  credentials,
  policies: { ...policies, sync: policiesSync },
  quotas,
  clients,
  capacity,
  operations,
  routes,
};

export interface CliEnvironment {
  /** Management base URL when --url is not given. */
  readonly url: string;
  /** Token when --token is not given. */
  readonly token: string | undefined;
  /** File to read the token from when neither --token nor a token is given. */
  readonly tokenFile: string;
  readonly output: (json: boolean) => Output;
  /** Standard input, for `-` in place of a file; the process's by default. */
  readonly stdin?: () => Promise<string>;
}

const globalOptions = {
  url: { type: 'string' },
  token: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

function helpText(): string {
  const lines = ['usage: flotilla <group> <command> [arguments] [--json] [--url URL] [--token TOKEN]', ''];
  for (const [name, group] of Object.entries(groups)) {
    for (const [verb, command] of Object.entries(group)) lines.push(`  flotilla ${name} ${verb} ${command.usage}`.trimEnd() + `\n      ${command.summary}`);
  }
  lines.push('', 'Also: flotilla whoami. The token comes from --token, FLOTILLA_TOKEN or FLOTILLA_TOKEN_FILE (default .flotilla/admin-token).');
  return lines.join('\n');
}

export async function runCli(argv: readonly string[], env: CliEnvironment): Promise<number> {
  const json = argv.includes('--json');
  const out = env.output(json);
  let command: Command | undefined;
  let words = '';
  try {
    const [groupName, verb] = argv.filter((a) => !a.startsWith('-'));
    const asksHelp = argv.includes('--help') || argv.includes('-h');
    const helped = asksHelp && groupName !== undefined && verb !== undefined ? groups[groupName]?.[verb] : undefined;
    if (helped) {
      out.write([`usage: flotilla ${groupName} ${verb} ${helped.usage}`.trimEnd(), '', helped.summary, ...(helped.details ? ['', helped.details] : [])].join('\n'));
      return 0;
    }
    if (argv.length === 0 || groupName === undefined || asksHelp) {
      out.write(helpText());
      return argv.length === 0 ? 2 : 0;
    }
    words = groupName === 'whoami' ? 'whoami' : `${groupName} ${verb ?? ''}`.trim();
    const group = groups[groupName];
    if (groupName !== 'whoami') {
      if (!group) throw new UsageError(`unknown command group "${groupName}"; one of: ${Object.keys(groups).join(', ')}, whoami`);
      command = verb === undefined ? undefined : group[verb];
      if (!command) throw new UsageError(`unknown command "${words}"; one of: ${Object.keys(group).map((v) => `${groupName} ${v}`).join(', ')}`);
    }
    const rest = argv.slice(argv.indexOf(groupName) + 1);
    if (verb !== undefined && groupName !== 'whoami') rest.splice(rest.indexOf(verb), 1);
    const options = { ...globalOptions, ...command?.options };
    let parsed;
    try {
      parsed = parseArgs({ args: joinDashedValues(rest, options), options, allowPositionals: true, strict: true });
    } catch (error: unknown) {
      throw new UsageError(error instanceof Error ? error.message.replace(/^.*?: /, '').split('. ')[0] ?? error.message : String(error));
    }
    const flags = parsed.values as Record<string, string | boolean | undefined>;
    if (command && parsed.positionals.length < (command.minArgs ?? 0)) throw new UsageError(`missing arguments`);
    const url = (typeof flags['url'] === 'string' ? flags['url'] : env.url).replace(/\/+$/, '');
    const token = typeof flags['token'] === 'string' ? flags['token'] : (env.token ?? (await readFile(env.tokenFile, 'utf8').then((t) => t.trim(), () => undefined)));
    const api = createTRPCClient<AppRouter>({
      links: [httpLink({ url: `${url}/trpc`, headers: () => (token ? { authorization: `Bearer ${token}` } : {}) })],
    });
    if (!command) {
      const me = await api.whoami.query();
      out.write(json ? JSON.stringify(me) : `${me.application} (credential ${me.credentialId}, role ${me.role ?? 'none'}) at ${url}`);
      return 0;
    }
    const readText = (path: string): Promise<string> => (path === '-' ? (env.stdin ?? readStandardInput)() : readFile(path, 'utf8'));
    return (await command.run({ api, out, args: parsed.positionals, flags, readText })) ?? 0;
  } catch (error: unknown) {
    if (error instanceof UsageError) {
      out.error(`flotilla: ${error.message}`);
      if (command) out.error(`usage: flotilla ${words} ${command.usage}`.trimEnd());
      else out.error('run "flotilla --help" for the commands');
      return 2;
    }
    out.error(`flotilla: ${describeFailure(error, env.url)}`);
    return 1;
  }
}

function describeFailure(error: unknown, url: string): string {
  if (error instanceof TRPCClientError) {
    const cause: unknown = error.cause;
    const code = cause instanceof Error && 'code' in cause ? String(cause.code) : undefined;
    const inner = cause instanceof Error && cause.cause instanceof Error && 'code' in cause.cause ? String(cause.cause.code) : undefined;
    if (error.message === 'fetch failed' || code === 'ECONNREFUSED' || inner === 'ECONNREFUSED') {
      return `cannot reach the management service at ${url} (${inner ?? code ?? 'connection failed'}); is it running (npm start)?`;
    }
    return error.message;
  }
  return error instanceof Error ? error.message : String(error);
}
