export { workspaceRoot, cacheDir, stateDir } from './workspace-paths';
export { waitFor, sleep, StopWaiting, type WaitOptions } from './wait-for';
export {
  startProcess,
  stopProcess,
  killProcess,
  readPid,
  isAlive,
  waitForExit,
  tailFile,
  type StartProcessOptions,
} from './managed-process';
export { runCommand, type RunCommandOptions } from './run-command';
