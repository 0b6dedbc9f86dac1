// One CLI command: its usage line, options, and what it does with the API client.
import type { ParseArgsConfig } from 'node:util';
import type { AppRouter } from '@flotilla/api';
import type { TRPCClient } from '@trpc/client';
import type { Output } from './output';

export type Api = TRPCClient<AppRouter>;
export type Flags = Record<string, string | boolean | undefined>;

export interface CommandContext {
  readonly api: Api;
  readonly out: Output;
  /** Positional arguments after the command's words. */
  readonly args: readonly string[];
  readonly flags: Flags;
  /** The text of a file the command was given; `-` reads standard input. */
  readonly readText: (path: string) => Promise<string>;
}

export interface Command {
  /** Arguments and options after `flotilla <group> <verb>`, e.g. `<name> --tier <tier>`. */
  readonly usage: string;
  readonly summary: string;
  /** What `flotilla <group> <verb> --help` prints below the usage: semantics, guarantees. */
  readonly details?: string;
  readonly options?: NonNullable<ParseArgsConfig['options']>;
  /** How many positional arguments it needs at least. */
  readonly minArgs?: number;
  /** Resolves to the exit code when it is not 0 (e.g. 3: a policy check said no). */
  run(context: CommandContext): Promise<number | void>;
}

export type CommandGroup = Readonly<Record<string, Command>>;

/** A mistake in how the command was called: printed with the usage, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export function stringFlag(flags: Flags, name: string): string | undefined {
  const value = flags[name];
  return typeof value === 'string' ? value : undefined;
}

export function requiredFlag(flags: Flags, name: string): string {
  const value = stringFlag(flags, name);
  if (value === undefined) throw new UsageError(`missing --${name}`);
  return value;
}

/** A whole number from an option, or a UsageError naming the option and the value. */
export function intFlag(flags: Flags, name: string): number | undefined {
  const value = stringFlag(flags, name);
  if (value === undefined) return undefined;
  return parseWhole(value, `--${name}`);
}

export function parseWhole(value: string, what: string): number {
  if (!/^\d+$/.test(value)) throw new UsageError(`${what}: expected a whole number (0 or more), got "${value}"`);
  return Number(value);
}

/**
 * Joins `--name -3` into `--name=-3` for options that take a value. Node's parseArgs refuses a
 * value that starts with a dash as "ambiguous"; joined, the value reaches the command, whose own
 * check says which flag, what value and what was expected.
 */
export function joinDashedValues(args: readonly string[], options: NonNullable<ParseArgsConfig['options']>): string[] {
  const joined: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const current = args[i] ?? '';
    const next = args[i + 1];
    const name = current.startsWith('--') && !current.includes('=') ? current.slice(2) : undefined;
    if (name !== undefined && options[name]?.type === 'string' && next !== undefined && /^-[\d.]/.test(next)) {
      joined.push(`${current}=${next}`);
      i++;
    } else {
      joined.push(current);
    }
  }
  return joined;
}

export function listFlag(flags: Flags, name: string): string[] | undefined {
  const value = stringFlag(flags, name);
  return value === undefined ? undefined : value.split(',').map((item) => item.trim()).filter(Boolean);
}

export function arg(args: readonly string[], index: number): string {
  const value = args[index];
  if (value === undefined) throw new UsageError('missing argument');
  return value;
}
