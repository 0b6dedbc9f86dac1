// SCRAM credentials on the wire: AlterUserScramCredentials (API 51) and
// DescribeUserScramCredentials (API 50), version 0 of both, which is flexible (KIP-554;
// clients/src/main/resources/common/message/*UserScramCredentials*.json).
import { compactBytes, requestV0, tags, encoder, type Decoder, type WireRequest } from './kafkajs-wire';

/** org.apache.kafka.clients.admin.ScramMechanism: 1 is SCRAM-SHA-256. Flotilla uses only SHA-512. */
export const SCRAM_SHA_512 = 2;

export interface ScramCredential {
  user: string;
  iterations: number;
  salt: Buffer;
  /** Hi(password, salt, iterations) of RFC 5802 with HMAC-SHA-512: see scram-secret.ts. */
  saltedPassword: Buffer;
}

export interface UserResult {
  user: string;
  errorCode: number;
  errorMessage: string | null;
}

export interface AlterScramResponse {
  results: UserResult[];
}

export interface DescribedScramUser extends UserResult {
  credentials: { mechanism: number; iterations: number }[];
}

export interface DescribeScramResponse {
  errorCode: number;
  errorMessage: string | null;
  results: DescribedScramUser[];
}

/**
 * AlterUserScramCredentials v0: deletions [name, mechanism] then upsertions [name, mechanism,
 * iterations, salt, salted_password]. Kafka refuses a user named twice in one request.
 */
export function alterUserScramCredentials(deletions: readonly string[], upsertions: readonly ScramCredential[]): WireRequest<AlterScramResponse> {
  return requestV0(
    51,
    'AlterUserScramCredentials',
    'flexible',
    (e) => {
      e.writeUVarIntArray(deletions.map((user) => tags(encoder().writeUVarIntString(user).writeInt8(SCRAM_SHA_512))));
      e.writeUVarIntArray(
        upsertions.map((c) => {
          const x = encoder().writeUVarIntString(c.user).writeInt8(SCRAM_SHA_512).writeInt32(c.iterations);
          compactBytes(x, c.salt);
          compactBytes(x, c.saltedPassword);
          return tags(x);
        }),
      );
    },
    (d) => {
      d.readInt32(); // throttle_time_ms
      const results = d.readUVarIntArray(readUserResult) ?? [];
      d.readTaggedFields();
      return { results };
    },
  );
}

/** DescribeUserScramCredentials v0; `users` null describes every user that has a credential. */
export function describeUserScramCredentials(users: readonly string[] | null): WireRequest<DescribeScramResponse> {
  return requestV0(
    50,
    'DescribeUserScramCredentials',
    'flexible',
    (e) => {
      if (users === null) e.writeUVarInt(0);
      else e.writeUVarIntArray(users.map((user) => tags(encoder().writeUVarIntString(user))));
    },
    (d) => {
      d.readInt32(); // throttle_time_ms
      const errorCode = d.readInt16();
      const errorMessage = d.readUVarIntString();
      const results =
        d.readUVarIntArray((r) => {
          const { user, errorCode: code, errorMessage: message } = readUserFields(r);
          const credentials =
            r.readUVarIntArray((c) => {
              const info = { mechanism: c.readInt8(), iterations: c.readInt32() };
              c.readTaggedFields();
              return info;
            }) ?? [];
          r.readTaggedFields();
          return { user, errorCode: code, errorMessage: message, credentials };
        }) ?? [];
      d.readTaggedFields();
      return { errorCode, errorMessage, results };
    },
  );
}

function readUserFields(d: Decoder): UserResult {
  return { user: d.readUVarIntString() ?? '', errorCode: d.readInt16(), errorMessage: d.readUVarIntString() };
}

function readUserResult(d: Decoder): UserResult {
  const result = readUserFields(d);
  d.readTaggedFields();
  return result;
}
