export { workspaceRoot, cacheDir, stateDir } from './workspace-paths';
export { waitFor, StopWaiting, type WaitOptions } from './wait-for';
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
export { type ProcessExit, stopProcessesUnder } from './managed-process';
export {
  platformPortOffset,
  platformRunDir,
  ephemeralPortWarning,
  runningPlatform,
  claimRunDir,
  releaseRunDir,
  controlSocketPath,
  EPHEMERAL_PORT_START,
  HIGHEST_PLATFORM_PORT,
  type PlatformState,
} from './platform-run';
export { serveControl, sendControl, type ControlRequest, type ControlResponse, type ComponentStatus, type ComponentState } from './platform-control';
export { Supervisor, defaultRestartDelayMs, isDeliberateExit, describeExit, type SupervisedComponent, type SupervisorOptions } from './supervisor';
export { freePort } from './free-port';
