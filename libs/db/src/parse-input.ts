// Repositories validate with the shared parser; kept as a module so imports stay local.
export { parseInput } from '@flotilla/errors';
