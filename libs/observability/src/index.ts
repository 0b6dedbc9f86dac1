export { createLogger, type Logger, type LoggerOptions } from './logger';
export { createMetricsRegistry, Counter, Gauge, Histogram, Registry } from './metrics';
