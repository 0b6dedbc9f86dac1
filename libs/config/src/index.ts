export { loadConfig, portVar, listVar, logFormatVar, logLevelVar, prettyLogs } from './load-config';
