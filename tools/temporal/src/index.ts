export { ensureTemporalCli, temporalCliReady, temporalBinary, TEMPORAL_CLI_VERSION } from './temporal-cli';
export { startTemporalServer, type TemporalServer, type TemporalServerOptions } from './temporal-server';
export { ensureTemporalTestServer, temporalTestServerBinary, TEMPORAL_TEST_SERVER_VERSION } from './temporal-test-server';
