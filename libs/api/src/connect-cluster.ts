// Opens an admin client on a registered cluster for one piece of work and always closes it.
import type { KafkaAdmin } from '@flotilla/kafka';
import type { ApiServices } from './context';

export async function withCluster<T>(services: ApiServices, bootstrap: readonly string[], work: (admin: KafkaAdmin) => Promise<T>): Promise<T> {
  const admin = await services.connectKafka(bootstrap);
  try {
    return await work(admin);
  } finally {
    await admin.close().catch(() => {});
  }
}
