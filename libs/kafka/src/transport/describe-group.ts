// A consumer group's description from its coordinator, through a kafkajs admin: node-rdkafka has
// no call for it (librdkafka's DescribeConsumerGroups is not bound), and kafkajs already answers
// in the GroupDescription shape the transports promise.
import type { Admin } from 'kafkajs';
import { toFlotillaError } from '../kafka-errors';
import { createKafkajsClient } from './kafkajs-client';
import type { GroupDescription, SaslCredentials } from './transport';

const DESCRIBE_TIMEOUT_MS = 10_000;

/** With `admin`, asks it; otherwise connects a short-lived admin to `bootstrap` for the one call. */
export async function describeGroup(groupId: string, where: { bootstrap: readonly string[]; sasl?: SaslCredentials | undefined; clientId: string; admin?: Admin }): Promise<GroupDescription> {
  const context = `describe group "${groupId}" on ${where.bootstrap.join(',')}`;
  const admin = where.admin ?? createKafkajsClient({ bootstrap: where.bootstrap, sasl: where.sasl, clientId: where.clientId, timeoutMs: DESCRIBE_TIMEOUT_MS }).admin();
  try {
    if (!where.admin) await admin.connect();
    const { groups } = await admin.describeGroups([groupId]);
    const group = groups.find((g) => g.groupId === groupId);
    if (!group) throw new Error('the coordinator did not describe the group');
    return {
      groupId: group.groupId,
      members: group.members.map((m) => ({
        memberId: m.memberId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        memberMetadata: m.memberMetadata,
        memberAssignment: m.memberAssignment,
      })),
      protocol: group.protocol,
      protocolType: group.protocolType,
      state: group.state,
      // Present at run time, missing from kafkajs' types.
      errorCode: (group as { errorCode?: number }).errorCode ?? 0,
    };
  } catch (error) {
    throw toFlotillaError(error, context);
  } finally {
    if (!where.admin) await admin.disconnect().catch(() => undefined);
  }
}
