// Command-line options every benchmark scenario shares: record counts per size, rounds, a
// quick smoke mode that is never recorded, and printing without recording. A scenario adds
// its own boolean flags (e.g. --no-libraries) and positive-integer options (e.g. --latency-rounds).
import { parseArgs } from 'node:util';

export class UsageError extends Error {}

export interface SizeRun {
  recordSize: number;
  records: number;
}

export interface RecordCounts {
  small: number;
  large: number;
  rounds: number;
}

export interface BenchOptions {
  sizes: SizeRun[];
  rounds: number;
  record: boolean;
  quick: boolean;
  /** The scenario's own boolean flags, by name. */
  flags: Record<string, boolean>;
  /** The scenario's own positive-integer options that were given, by name. */
  integers: Record<string, number | undefined>;
}

export function errorLine(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function positiveInteger(flag: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag}: got "${text}", expected a positive integer`);
  return n;
}

/** `--size 100` or `--size 1024` (also `1k`, `1KB`): one of the record sizes a scenario measures. */
function recordSize(text: string, sizes: readonly SizeRun[]): number {
  const size = /^1\s*k(i?b)?$/i.test(text.trim()) ? 1024 : Number(text.replace(/\s*b$/i, ''));
  if (!sizes.some((s) => s.recordSize === size)) {
    throw new UsageError(`--size: got "${text}", expected one of ${sizes.map((s) => s.recordSize).join(', ')} (bytes per record)`);
  }
  return size;
}

export function parseBenchOptions(
  argv: string[],
  counts: { defaults: RecordCounts; quick: RecordCounts },
  usage: string,
  extraFlags: readonly string[] = [],
  extraIntegers: readonly string[] = [],
): BenchOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        records: { type: 'string' },
        size: { type: 'string', multiple: true },
        rounds: { type: 'string' },
        quick: { type: 'boolean', default: false },
        'no-record': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
        ...Object.fromEntries(extraFlags.map((flag) => [flag, { type: 'boolean' as const, default: false }])),
        ...Object.fromEntries(extraIntegers.map((name) => [name, { type: 'string' as const }])),
      },
      strict: true,
    }));
  } catch (error) {
    throw new UsageError(errorLine(error));
  }
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  const quick = values.quick === true;
  const base = quick ? counts.quick : counts.defaults;
  const records = typeof values.records === 'string' ? positiveInteger('--records', values.records) : undefined;
  const sizes = [
    { recordSize: 100, records: records ?? base.small },
    { recordSize: 1024, records: records ?? base.large },
  ];
  const only = (values.size ?? []).map((text) => recordSize(text, sizes));
  return {
    sizes: only.length === 0 ? sizes : sizes.filter((s) => only.includes(s.recordSize)),
    rounds: typeof values.rounds === 'string' ? positiveInteger('--rounds', values.rounds) : base.rounds,
    record: values['no-record'] !== true && !quick,
    quick,
    flags: Object.fromEntries(extraFlags.map((flag) => [flag, (values as Record<string, unknown>)[flag] === true])),
    integers: Object.fromEntries(
      extraIntegers.map((name) => {
        const text = (values as Record<string, unknown>)[name];
        return [name, typeof text === 'string' ? positiveInteger(`--${name}`, text) : undefined];
      }),
    ),
  };
}

/** Runs a scenario's main: exit code 2 with the usage for bad options, 1 with the stack otherwise. */
export function runBenchMain(main: () => Promise<number>, usage: string): void {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      if (error instanceof UsageError) {
        console.error(`${error.message}\n${usage}`);
        process.exit(2);
      }
      console.error(error instanceof Error ? (error.stack ?? error.message) : error);
      process.exit(1);
    },
  );
}
