// The consume endpoints on the proxy's Fastify server: long-poll fetch, offsets commit and the
// server-sent-events stream, each as the application the request identifies.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { commitOffsets, fetchRecords, type ConsumeCall, type ConsumeDeps } from './consume';
import { streamRecords } from './consume-stream';

export interface ConsumeRoutesDeps extends ConsumeDeps {
  /** The application the request is, or a throw of the 401 that says why not. */
  readonly identify: (request: FastifyRequest) => string;
  readonly authorize: ConsumeCall['authorize'];
  readonly admit: ConsumeCall['admit'];
}

type GroupTopic = { Params: { group: string; topic: string } };

export function registerConsumeRoutes(app: FastifyInstance, deps: ConsumeRoutesDeps): void {
  const callOf = (request: FastifyRequest<GroupTopic>): ConsumeCall => ({
    application: deps.identify(request),
    group: request.params.group,
    topic: request.params.topic,
    query: request.query,
    authorize: deps.authorize,
    admit: deps.admit,
  });

  app.get<GroupTopic>('/v1/groups/:group/topics/:topic/records', async (request, reply) => {
    // A client that gives up on its long poll ends the wait, so nothing is taken for nobody.
    const gone = new AbortController();
    reply.raw.once('close', () => gone.abort());
    return fetchRecords(deps, callOf(request), gone.signal);
  });
  app.post<GroupTopic>('/v1/groups/:group/topics/:topic/offsets', async (request) => commitOffsets(deps, { ...callOf(request), body: request.body }));
  app.get<GroupTopic>('/v1/groups/:group/topics/:topic/stream', async (request, reply) => {
    await streamRecords(deps, callOf(request), reply);
  });
}
