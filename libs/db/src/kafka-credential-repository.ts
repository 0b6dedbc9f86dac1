// Applications' Kafka identities (schema/kafka-credentials.ts): which applications have one and
// at which generation. The secret itself is derived by management, never stored.
import { asc, eq, sql } from 'drizzle-orm';
import { requireApplication } from './application-repository';
import type { Database } from './create-db';
import { guard } from './database-error';
import { kafkaCredentials, type KafkaCredential } from './schema/kafka-credentials';

export interface KafkaCredentialRepository {
  /** Makes the application's Kafka credential (generation 1) or moves it to the next generation. */
  rotate(application: string): Promise<KafkaCredential>;
  /** The application's credential, or undefined when it has none. */
  get(application: string): Promise<KafkaCredential | undefined>;
  /** Every application's credential, by application. */
  list(): Promise<KafkaCredential[]>;
  /** Removes the credential; returns it, or undefined when there was none. */
  remove(application: string): Promise<KafkaCredential | undefined>;
}

export function createKafkaCredentialRepository(db: Database): KafkaCredentialRepository {
  return {
    rotate: (application) =>
      guard(async () => {
        await requireApplication(db, application);
        const [stored] = await db
          .insert(kafkaCredentials)
          .values({ application, generation: 1 })
          .onConflictDoUpdate({ target: kafkaCredentials.application, set: { generation: sql`${kafkaCredentials.generation} + 1`, rotatedAt: sql`now()` } })
          .returning();
        // An upsert always returns its row; an empty answer would be a driver bug.
        if (!stored) throw new Error(`the Kafka credential upsert for "${application}" returned no row`);
        return stored;
      }),
    get: (application) =>
      guard(async () => {
        const [credential] = await db.select().from(kafkaCredentials).where(eq(kafkaCredentials.application, application));
        return credential;
      }),
    list: () => guard(() => db.select().from(kafkaCredentials).orderBy(asc(kafkaCredentials.application))),
    remove: (application) =>
      guard(async () => {
        const [removed] = await db.delete(kafkaCredentials).where(eq(kafkaCredentials.application, application)).returning();
        return removed;
      }),
  };
}
