// @flotilla/routes: the router's routes (issue #23). A route's definition and its validation,
// its ETL steps compiled once and applied per record, and the headers of dead-lettered records.
// Pure: no Kafka, no database, no network.
export {
  STEP_TYPES,
  stepTypeOf,
  type FieldPath,
  type FilterStep,
  type HeaderValue,
  type HeadersStep,
  type KeyStep,
  type ProjectStep,
  type RenameStep,
  type ReshapeStep,
  type RouteDefinition,
  type RouteDestination,
  type RouteStep,
  type StepType,
} from './route-definition';
export {
  DEAD_LETTER_SUFFIX,
  MAX_HEADER_NAME_LENGTH,
  MAX_ROUTE_NAME_LENGTH,
  routeDefinitionSchema,
  type RouteDefinitionInput,
} from './route-schema';
export { parseRouteDefinition } from './parse-route-definition';
export type { HeaderEntry, RouteRecord, StepOutcome } from './route-record';
export { KEYED_STEP_TYPE, MAX_STEP_ERROR_LENGTH, compileRoute, type CompiledRoute } from './compile-route';
export {
  DEAD_LETTER_HEADERS,
  MAX_DEAD_LETTER_ERROR_LENGTH,
  deadLetterHeaders,
  deadLetterRecord,
  type DeadLetterHeaders,
  type DeadLetterInfo,
} from './dead-letter';
