// Client quotas on the wire: AlterClientQuotas (API 49) and DescribeClientQuotas (API 48),
// version 0, which is not flexible (KIP-546; clients/src/main/resources/common/message/*ClientQuotas*.json).
// Flotilla's quotas are per user entity: the entity name is the principal's name, without "User:".
import { requestV0, encoder, type Decoder, type WireRequest } from './kafkajs-wire';

const USER = 'user';

export interface QuotaEntryChange {
  user: string;
  set: Readonly<Record<string, number>>;
  remove: readonly string[];
}

export interface AlterQuotasResponse {
  entries: { errorCode: number; errorMessage: string | null; user: string | null }[];
}

export interface DescribeQuotasResponse {
  errorCode: number;
  errorMessage: string | null;
  entries: { user: string | null; values: Record<string, number> }[];
}

/** AlterClientQuotas v0: entries [entity [type, name], ops [key, value, remove]], validate_only. */
export function alterClientQuotas(changes: readonly QuotaEntryChange[]): WireRequest<AlterQuotasResponse> {
  return requestV0(
    49,
    'AlterClientQuotas',
    'classic',
    (e) => {
      e.writeArray(
        changes.map((change) =>
          encoder()
            .writeArray([encoder().writeString(USER).writeString(change.user)])
            .writeArray([
              ...Object.entries(change.set).map(([key, value]) => encoder().writeString(key).writeDouble(value).writeBoolean(false)),
              ...change.remove.map((key) => encoder().writeString(key).writeDouble(0).writeBoolean(true)),
            ]),
        ),
      );
      e.writeBoolean(false); // validate_only
    },
    (d) => {
      d.readInt32(); // throttle_time_ms
      const entries = d.readArray((r) => ({ errorCode: r.readInt16(), errorMessage: r.readString(), user: userOf(r) }));
      return { entries };
    },
  );
}

/**
 * DescribeClientQuotas v0 of every user entity with a name (match_type 2, "any specified"; not
 * the default user), strict so that user + client-id entities are left out.
 */
export function describeUserClientQuotas(): WireRequest<DescribeQuotasResponse> {
  return requestV0(
    48,
    'DescribeClientQuotas',
    'classic',
    (e) => {
      e.writeArray([encoder().writeString(USER).writeInt8(2).writeString(null)]);
      e.writeBoolean(true); // strict
    },
    (d) => {
      d.readInt32(); // throttle_time_ms
      const errorCode = d.readInt16();
      const errorMessage = d.readString();
      // A nullable array: −1 (null) when the request failed.
      const entries = d.readArray((r) => {
        const user = userOf(r);
        const values = Object.fromEntries(r.readArray((v) => [v.readString() ?? '', v.readDouble()] as const));
        return { user, values };
      });
      return { errorCode, errorMessage, entries };
    },
  );
}

/** The user name of an entity [type, name] list; null for the default user or a non-user entity. */
function userOf(d: Decoder): string | null {
  const entity = d.readArray((x) => ({ type: x.readString(), name: x.readString() }));
  return entity.length === 1 && entity[0]?.type === USER ? entity[0].name : null;
}
