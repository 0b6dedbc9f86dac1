// Bytes of a topic's log segments in the log directories of a local cluster (tools/kafka keeps
// broker i's in `<cluster dir>/broker-i/data`): what a move or a reassignment has in front of it,
// read from the disk rather than assumed from the record count. Only `.log` files count: the
// active segment's index files are preallocated (10 MiB each) whatever the data.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export function topicDiskBytes(clusterDir: string, topic: string): number {
  let total = 0;
  for (const broker of readdirSync(clusterDir).filter((entry) => /^broker-\d+$/.test(entry))) {
    const data = join(clusterDir, broker, 'data');
    if (!existsSync(data)) continue;
    // A partition's directory is "<topic>-<n>"; one being deleted is "<topic>-<n>.<id>-delete".
    const partitionDir = new RegExp(`^${topic.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-\\d+$`);
    for (const dir of readdirSync(data).filter((entry) => partitionDir.test(entry))) {
      for (const file of readdirSync(join(data, dir)).filter((name) => name.endsWith('.log'))) total += statSync(join(data, dir, file)).size;
    }
  }
  return total;
}
