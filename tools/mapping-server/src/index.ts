// @flotilla/mapping-server: the mapping-follow protocol served from memory, for tests of
// followers (smart clients, router, proxy) without the management service.
export {
  DEFAULT_HEARTBEAT_MS,
  MAPPING_PATH,
  MAPPING_STREAM_PATH,
  startMappingServer,
  type MappingServer,
  type MappingServerOptions,
} from './mapping-server';
export { parseLastEventId, type PublishedMapping } from './published-mapping';
export { MAPPING_EVENT } from './sse-frame';
