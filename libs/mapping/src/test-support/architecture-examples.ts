// The examples of ARCHITECTURE.md §3, verbatim as JSON text, so tests exercise exactly what an
// operator would paste (comma keys with spaces included).

export const SEED_PRODUCER_JSON = `
{ "t1, t2": { "where": [{ "sink": "fronting-kafka-1" }] },
  "t3": { "where": [{ "sink": "fronting-kafka-2" }] },
  "__default__": { "where": [{ "sink": "fronting-kafka-2" }] } }`;

export const SEED_CONSUMER_JSON = `
{ "foo": [{ "vip": "consumerKafka1" }, { "vip": "consumerKafka2" }],
  "bar": [{ "vip": "consumerKafka3" }] }`;

export const FULL_DOCUMENT_JSON = `
{
  "version": 42,
  "clusters": {
    "fronting-kafka-1": { "bootstrap": ["127.0.0.1:19092"], "tier": "medium", "role": "fronting" },
    "fronting-kafka-2": { "bootstrap": ["127.0.0.1:19192"], "tier": "medium", "role": "fronting" },
    "consumer-kafka-1": { "bootstrap": ["127.0.0.1:19292"], "role": "consumer" },
    "consumer-kafka-2": { "bootstrap": ["127.0.0.1:19392"], "role": "consumer" }
  },
  "producers": {
    "t1, t2":      { "where": [{ "sink": "fronting-kafka-1" }] },
    "__default__": { "where": [{ "sink": "fronting-kafka-2" }] }
  },
  "consumers": {
    "foo": [{ "vip": "consumer-kafka-1" }, { "vip": "consumer-kafka-2" }]
  },
  "handoffs": {
    "foo": { "from": "consumer-kafka-1", "to": "consumer-kafka-2", "keyed": true,
             "sealed": { "0": 1200, "1": 1187 } }
  }
}`;

/** The full example as a mutable object, for tests that break one field of it. */
export function fullDocument(): Record<string, unknown> {
  return JSON.parse(FULL_DOCUMENT_JSON) as Record<string, unknown>;
}
