// The producer's Prometheus metrics, one set per registry the application passes in.
import { Counter, Gauge, type Registry } from '@flotilla/observability';

export type ProducerMetrics = ReturnType<typeof createProducerMetrics>;

export function createProducerMetrics(registry: Registry) {
  const labelNames = ['cluster', 'topic'] as const;
  return {
    sent: new Counter({ name: 'flotilla_producer_records_sent_total', help: 'Records handed to a cluster', labelNames, registers: [registry] }),
    acknowledged: new Counter({ name: 'flotilla_producer_records_acknowledged_total', help: 'Records a cluster acknowledged', labelNames, registers: [registry] }),
    failed: new Counter({ name: 'flotilla_producer_records_failed_total', help: 'Records failed for good (rejected input)', labelNames, registers: [registry] }),
    dropped: new Counter({ name: 'flotilla_producer_records_dropped_total', help: 'Records evicted by the drop-oldest policy', labelNames, registers: [registry] }),
    rejected: new Counter({ name: 'flotilla_producer_records_rejected_total', help: 'Records refused because the buffer was full', registers: [registry] }),
    bufferedBytes: new Gauge({ name: 'flotilla_producer_buffered_bytes', help: 'Bytes waiting for acknowledgement', registers: [registry] }),
    bufferedRecords: new Gauge({ name: 'flotilla_producer_buffered_records', help: 'Records waiting for acknowledgement', registers: [registry] }),
    mappingVersion: new Gauge({ name: 'flotilla_producer_mapping_version', help: 'Mapping version in use', registers: [registry] }),
  };
}
