// Where a smart client connects on a cluster, and as whom: without credentials, the cluster's
// `bootstrap` (the platform's plaintext listener); with an application's Kafka credential, its
// authenticated listener (`saslBootstrap` in the mapping), where the brokers enforce the
// application's ACLs and quotas.
import { ValidationError } from '@flotilla/errors';
import type { SaslCredentials } from '@flotilla/kafka';
import type { ClusterRef } from '@flotilla/mapping';

export interface ClusterEndpoint {
  readonly bootstrap: readonly string[];
  readonly sasl?: SaslCredentials;
}

export function clusterEndpoint(cluster: ClusterRef, sasl: SaslCredentials | undefined): ClusterEndpoint {
  if (!sasl) return { bootstrap: cluster.bootstrap };
  if (!cluster.saslBootstrap?.length) {
    throw new ValidationError(
      `cluster "${cluster.name}" has no authenticated listener in the mapping (saslBootstrap), and a client with a Kafka credential connects only there; register it with --sasl-bootstrap`,
      { field: 'sasl' },
    );
  }
  return { bootstrap: cluster.saslBootstrap, sasl };
}
