// Applications' Kafka credentials (SASL/SCRAM-SHA-512, user = the application id): rotating makes
// one or moves it to a new password, installed on every active cluster before the answer, which
// shows the password once; revoking removes it from every cluster, with the application's ACLs.
import { NotFoundError, UnavailableError } from '@flotilla/errors';
import type { WriteContext } from '../../context';
import { kafkaPassword } from './broker-state';
import { writeTenancy } from './publish-access-set';

export const KAFKA_SASL_MECHANISM = 'SCRAM-SHA-512';

function brokersManaged(context: WriteContext): { secretKey: Buffer; sync: NonNullable<WriteContext['services']['brokerSync']> } {
  const { secretKey, brokerSync } = context.services;
  if (!secretKey || !brokerSync) throw new UnavailableError('Kafka credentials need management to manage the brokers, which this instance does not (FLOTILLA_BROKER_SYNC=off)', { retryable: false });
  return { secretKey, sync: brokerSync };
}

export async function rotateKafkaCredential(context: WriteContext, application: string) {
  const { secretKey, sync } = brokersManaged(context);
  const credential = await writeTenancy(
    context,
    `rotate the Kafka credential of application ${application}`,
    (tx) => tx.kafkaCredentials.rotate(application),
    (rotated) => ({ target: `application/${application}`, details: { kafkaCredentialGeneration: rotated.generation } }),
  );
  // writeTenancy synced already; this run installs the new password where the user existed.
  const report = await sync.request([application]);
  return {
    application,
    username: application,
    password: kafkaPassword(secretKey, application, credential.generation),
    mechanism: KAFKA_SASL_MECHANISM,
    generation: credential.generation,
    clusters: report.clusters.map((c) => ({ cluster: c.cluster, installed: c.error === undefined, ...(c.error === undefined ? {} : { error: c.error }) })),
  };
}

export async function revokeKafkaCredential(context: WriteContext, application: string) {
  brokersManaged(context);
  const removed = await writeTenancy(
    context,
    `revoke the Kafka credential of application ${application}`,
    async (tx) => {
      const gone = await tx.kafkaCredentials.remove(application);
      if (!gone) throw new NotFoundError('Kafka credential of application', application, { hint: `issue one: flotilla credentials rotate ${application}` });
      return gone;
    },
    (gone) => ({ target: `application/${application}`, details: { kafkaCredentialGeneration: gone.generation } }),
  );
  return { application, revoked: true, generation: removed.generation };
}
