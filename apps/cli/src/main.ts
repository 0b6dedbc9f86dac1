// The `flotilla` command. Reads its settings once, runs, exits with the code runCli returns.
import { fileURLToPath } from 'node:url';
import { loadConfig } from '@flotilla/config';
import { z } from 'zod';
import { processOutput } from './output';
import { runCli } from './run-cli';

const defaultTokenFile = fileURLToPath(new URL('../../../.flotilla/admin-token', import.meta.url));

const config = loadConfig(
  z.object({
    FLOTILLA_URL: z.string().default('http://127.0.0.1:7480'),
    FLOTILLA_TOKEN: z.string().optional(),
    FLOTILLA_TOKEN_FILE: z.string().default(defaultTokenFile),
  }),
);

process.exitCode = await runCli(process.argv.slice(2), {
  url: config.FLOTILLA_URL,
  token: config.FLOTILLA_TOKEN,
  tokenFile: config.FLOTILLA_TOKEN_FILE,
  output: processOutput,
});
