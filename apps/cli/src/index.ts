// The CLI as a library, so tests run it in-process against a real management service.
export { groups, runCli, type CliEnvironment } from './run-cli';
export type { Output } from './output';
