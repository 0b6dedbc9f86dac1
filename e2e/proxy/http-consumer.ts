// An HTTP consumer instance as a client of the proxy sees it: long-poll fetches, commits, and a
// server-sent-events stream parsed into records, for the consume tests.
import { connectAdmin } from '@flotilla/kafka';
import { testCluster } from '@flotilla/testing';

export interface ConsumedRecord {
  readonly cluster: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
  readonly value: string | null;
  readonly headers: Record<string, string | string[]>;
  readonly timestamp: number;
}

export interface FetchAnswer {
  readonly status: number;
  readonly body: {
    readonly records: ConsumedRecord[];
    readonly encoding: string;
    readonly assignment: { cluster: string; partitions: number[] }[];
    readonly committed: { cluster: string; partition: number; offset: string }[];
    readonly error: { status: number; code: string; message: string; field?: string };
  };
}

export interface HttpConsumer {
  /** One long-poll fetch; `query` adds or overrides query parameters. */
  fetch(query?: Record<string, string>): Promise<FetchAnswer>;
  /** Fetches until `done` says the records so far are enough (or the time is up). */
  fetchUntil(done: (records: ConsumedRecord[]) => boolean, timeoutMs?: number): Promise<ConsumedRecord[]>;
  commit(offsets?: { cluster: string; partition: number; offset: string }[]): Promise<FetchAnswer>;
  /** Opens the event stream; records arrive in `records` until `close()`. */
  stream(): Promise<{ records: ConsumedRecord[]; ids: string[]; ended: Promise<void>; close(): void }>;
}

export function httpConsumer(url: string, token: string, group: string, topic: string, consumer: string): HttpConsumer {
  const base = `${url}/v1/groups/${group}/topics/${topic}`;
  const authorization = `Bearer ${token}`;
  const answer = async (response: Response): Promise<FetchAnswer> => ({ status: response.status, body: (await response.json()) as FetchAnswer['body'] });
  const self: HttpConsumer = {
    async fetch(query = {}) {
      const params = new URLSearchParams({ consumer, timeoutMs: '1000', ...query });
      return answer(await fetch(`${base}/records?${params}`, { headers: { authorization } }));
    },
    async fetchUntil(done, timeoutMs = 60_000) {
      const records: ConsumedRecord[] = [];
      const deadline = Date.now() + timeoutMs;
      while (!done(records) && Date.now() < deadline) {
        const fetched = await self.fetch();
        if (fetched.status !== 200) throw new Error(`fetch answered ${fetched.status}: ${JSON.stringify(fetched.body)}`);
        records.push(...fetched.body.records);
      }
      return records;
    },
    async commit(offsets) {
      const body = offsets === undefined ? {} : { body: JSON.stringify({ offsets }), headers: { authorization, 'content-type': 'application/json' } };
      return answer(await fetch(`${base}/offsets?consumer=${consumer}`, { method: 'POST', headers: { authorization }, ...body }));
    },
    async stream() {
      const aborted = new AbortController();
      const response = await fetch(`${base}/stream?consumer=${consumer}`, { headers: { authorization }, signal: aborted.signal });
      if (response.status !== 200 || !response.body) throw new Error(`stream answered ${response.status}: ${await response.text()}`);
      const records: ConsumedRecord[] = [];
      const ids: string[] = [];
      const reading = (async () => {
        const decoder = new TextDecoder();
        let text = '';
        for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
          text += decoder.decode(chunk, { stream: true });
          let end: number;
          while ((end = text.indexOf('\n\n')) >= 0) {
            const event = text.slice(0, end);
            text = text.slice(end + 2);
            const id = /^id: (.*)$/m.exec(event)?.[1];
            const data = /^data: (.*)$/m.exec(event)?.[1];
            if (id !== undefined && data !== undefined) {
              ids.push(id);
              records.push(JSON.parse(data) as ConsumedRecord);
            }
          }
        }
      })().catch(() => undefined);
      return { records, ids, ended: reading, close: () => aborted.abort() };
    },
  };
  return self;
}

/** The group's committed offsets (next to read) per partition on the test fleet's `cluster`. */
export async function committedOffsets(cluster: string, groupId: string, topic: string): Promise<Map<number, string>> {
  const admin = await connectAdmin({ bootstrap: testCluster(cluster).bootstrap });
  try {
    return new Map((await admin.committedOffsets(groupId, topic)).map(({ partition, offset }) => [partition, offset]));
  } finally {
    await admin.close();
  }
}
