export {
  ConflictError,
  FlotillaError,
  ForbiddenError,
  NotFoundError,
  UnavailableError,
  ValidationError,
  errorCodes,
} from './flotilla-error';
export type { ErrorCode, FlotillaErrorOptions, NotFoundOptions } from './flotilla-error';
export { parseInput } from './parse-input';
export { compareStrings } from './compare-strings';
export { showValue } from './show-value';
export { strictObject } from './strict-object';
