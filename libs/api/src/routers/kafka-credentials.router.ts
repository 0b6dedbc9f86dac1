// Tenancy at the brokers: applications' Kafka credentials and the sync of policies and quotas to
// every cluster's ACLs and client quotas. The work is in services/tenancy (kafka-credentials.ts,
// broker-sync.ts, broker-state.ts).
import { UnavailableError } from '@flotilla/errors';
import { z } from 'zod';
import type { ApiServices } from '../context';
import { revokeKafkaCredential, rotateKafkaCredential } from '../services/tenancy/kafka-credentials';
import { adminProcedure, operatorProcedure, router, validated, viewerProcedure } from '../trpc';

const applicationOf = z.object({ application: z.string() });
const syncInput = z.object({ dryRun: z.boolean().default(false) }).default({ dryRun: false });

function brokerSync(services: ApiServices) {
  if (!services.brokerSync) throw new UnavailableError('this management instance does not manage the brokers (FLOTILLA_BROKER_SYNC=off)', { retryable: false });
  return services.brokerSync;
}

export const kafkaCredentialsRouter = router({
  /** Makes the application's Kafka credential, or a new password for it; the password is in this answer only. */
  rotate: adminProcedure.input(validated(applicationOf, 'Kafka credential')).mutation(({ ctx, input }) => rotateKafkaCredential(ctx, input.application)),
  /** Removes the credential from every cluster, with the application's ACLs. */
  revoke: adminProcedure.input(validated(applicationOf, 'Kafka credential')).mutation(({ ctx, input }) => revokeKafkaCredential(ctx, input.application)),
  list: viewerProcedure.query(({ ctx }) => ctx.registry.kafkaCredentials.list()),
});

export const brokersRouter = router({
  /** Compares every active cluster's users, ACLs and quotas with the registry; repairs them unless `dryRun`. */
  sync: operatorProcedure.input(validated(syncInput, 'broker sync')).mutation(({ ctx, input }) => (input.dryRun ? brokerSync(ctx.services).dryRun() : brokerSync(ctx.services).request())),
});
