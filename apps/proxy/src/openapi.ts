// The OpenAPI 3.1 document at /openapi.json, generated from the zod schemas the handlers
// validate with (z.toJSONSchema), so it cannot drift from what the proxy accepts.
import { z } from 'zod';
import { consumePaths } from './consume-openapi';
import { acceptedResponseSchema, errorResponseSchema, produceRequestSchema, produceResponseSchema } from './produce-schema';

const json = (schema: z.ZodType, io: 'input' | 'output' = 'output') => ({ 'application/json': { schema: z.toJSONSchema(schema, { io, unrepresentable: 'any' }) } });
const error = (description: string) => ({ description, content: json(errorResponseSchema) });

export function openApiDocument(version: string): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: { title: 'Flotilla HTTP proxy', version, description: 'Produce to and consume from Flotilla topics over HTTP as an application (Bearer API token or client certificate).' },
    components: { securitySchemes: { token: { type: 'http', scheme: 'bearer', description: 'flt_<id>_<secret>, from `flotilla tokens issue`' } } },
    security: [{ token: [] }],
    paths: {
      '/v1/topics/{topic}/records': {
        post: {
          summary: 'Write records to a topic',
          parameters: [
            { name: 'topic', in: 'path', required: true, schema: { type: 'string', pattern: '^[a-zA-Z0-9._-]{1,249}$' } },
            { name: 'ack', in: 'query', required: false, schema: { type: 'string', enum: ['sync', 'async'], default: 'sync' } },
          ],
          requestBody: { required: true, content: json(produceRequestSchema, 'input') },
          responses: {
            '200': { description: 'Every record acknowledged by Kafka (acks=all): where each went', content: json(produceResponseSchema) },
            '202': { description: 'ack=async: the records are buffered', content: json(acceptedResponseSchema) },
            '400': error('The request is malformed; `field` names what'),
            '401': error('No identity, or an unknown or revoked token'),
            '403': error('No policy allows the application to PUT /topics/{topic}'),
            '404': error('The topic is not in the mapping'),
            '413': error('The body is over the limit'),
            '415': error('The body is not application/json'),
            '429': error('Over the application\'s quota: retry after Retry-After seconds'),
            '503': error('The proxy cannot take the records now (buffer full, no mapping yet): retry after Retry-After seconds'),
          },
        },
      },
      ...consumePaths(json, error),
      '/healthz': { get: { summary: 'The process is up', security: [], responses: { '200': { description: 'up' } } } },
      '/readyz': { get: { summary: 'Ready: it has a mapping and the access set', security: [], responses: { '200': { description: 'ready' }, '503': { description: 'not yet' } } } },
      '/metrics': { get: { summary: 'Prometheus metrics', security: [], responses: { '200': { description: 'text exposition format' } } } },
    },
  };
}
