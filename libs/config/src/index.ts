export { loadConfig, portVar, listVar, logLevelVar } from './load-config';
