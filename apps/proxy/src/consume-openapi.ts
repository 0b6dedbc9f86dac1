// The consume endpoints' part of /openapi.json, generated from the zod schemas the handlers
// validate with: query parameters from the query schemas' fields, bodies and answers from theirs.
import { z } from 'zod';
import { commitQuerySchema, commitRequestSchema, commitResponseSchema, fetchQuerySchema, fetchResponseSchema, groupNameSchema, streamQuerySchema } from './consume-schema';

type Content = (schema: z.ZodType, io?: 'input' | 'output') => Record<string, unknown>;
type ErrorAnswer = (description: string) => Record<string, unknown>;

const pathParameters = [
  { name: 'group', in: 'path', required: true, description: 'The application\'s group; Kafka knows it as `<application>.<group>`', schema: z.toJSONSchema(groupNameSchema) },
  { name: 'topic', in: 'path', required: true, schema: { type: 'string', pattern: '^[a-zA-Z0-9._-]{1,249}$' } },
];

function queryParameters(schema: z.ZodObject): Record<string, unknown>[] {
  return Object.entries(schema.shape).map(([name, field]) => ({
    name,
    in: 'query',
    required: !(field as z.ZodType).safeParse(undefined).success,
    schema: z.toJSONSchema(field as z.ZodType, { io: 'input', unrepresentable: 'any' }),
  }));
}

export function consumePaths(json: Content, error: ErrorAnswer): Record<string, unknown> {
  const refusals = {
    '400': error('A bad group, topic, consumer id, query value or body; `field` names which'),
    '401': error('No identity, or an unknown or revoked token'),
    '403': error('No policy allows the application to GET /topics/{topic}'),
    '404': error('The topic is not in the mapping (or, for a commit, the consumer instance is not open)'),
    '429': error('Over the application\'s quota: retry after Retry-After seconds'),
    '503': error('No mapping yet, or the proxy holds its most consumer instances: retry after Retry-After seconds'),
  };
  return {
    '/v1/groups/{group}/topics/{topic}/records': {
      get: {
        summary: 'Long-poll fetch: up to `max` records as soon as there are any, or none after `timeoutMs`',
        parameters: [...pathParameters, ...queryParameters(fetchQuerySchema)],
        responses: { '200': { description: 'The records given to this consumer instance (commit them with POST …/offsets)', content: json(fetchResponseSchema) }, ...refusals },
      },
    },
    '/v1/groups/{group}/topics/{topic}/offsets': {
      post: {
        summary: 'Commit offsets (the next ones to read), or without `offsets` everything this consumer instance was given',
        parameters: [...pathParameters, ...queryParameters(commitQuerySchema)],
        requestBody: { required: false, content: json(commitRequestSchema, 'input') },
        responses: { '200': { description: 'Committed', content: json(commitResponseSchema) }, ...refusals },
      },
    },
    '/v1/groups/{group}/topics/{topic}/stream': {
      get: {
        summary: 'Server-sent events: each record as an event `record` with `id: <cluster>/<partition>/<offset>`; acknowledge with POST …/offsets',
        parameters: [...pathParameters, ...queryParameters(streamQuerySchema)],
        responses: { '200': { description: 'An event stream of records (data: as one record of the fetch answer)', content: { 'text/event-stream': { schema: { type: 'string' } } } }, ...refusals },
      },
    },
  };
}
