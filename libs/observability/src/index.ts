export { createLogger, type Logger, type LoggerOptions } from './logger';
export { logSummary } from './log-summary';
export { createMetricsRegistry, Counter, Gauge, Histogram, Registry } from './metrics';
