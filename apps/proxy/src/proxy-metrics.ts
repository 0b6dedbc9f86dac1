// The proxy's Prometheus metrics: records and bytes taken per application, requests refused by
// status, async records that failed after their 202.
import { Counter, type Registry } from '@flotilla/observability';

export class ProxyMetrics {
  readonly records: Counter<'application' | 'ack'>;
  readonly bytes: Counter<'application'>;
  readonly refused: Counter<'status'>;
  readonly asyncFailed: Counter<'application'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.records = new Counter({ name: 'flotilla_proxy_records_total', help: 'Records written (sync) or accepted (async)', labelNames: ['application', 'ack'], registers });
    this.bytes = new Counter({ name: 'flotilla_proxy_request_bytes_total', help: 'Request body bytes of produce requests taken', labelNames: ['application'], registers });
    this.refused = new Counter({ name: 'flotilla_proxy_refused_total', help: 'Requests answered with an error, by status', labelNames: ['status'], registers });
    this.asyncFailed = new Counter({ name: 'flotilla_proxy_async_failed_total', help: 'Records answered 202 that could not be written', labelNames: ['application'], registers });
  }
}
