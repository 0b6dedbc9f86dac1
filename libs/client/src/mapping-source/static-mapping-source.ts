// A mapping that never changes: tests, tools, and deployments that pin their topology.
import { ConflictError } from '@flotilla/errors';
import { compileMappingJson } from './mapping-text';
import type { CompiledMapping } from '@flotilla/mapping';
import type { MappingListener, MappingSource } from './mapping-source';

/**
 * `mapping` is a mapping document (validated here, so a bad one throws MappingValidationError
 * at once, naming the path) or an already compiled mapping.
 */
export function staticMappingSource(mapping: CompiledMapping | object): MappingSource {
  const compiled = isCompiled(mapping) ? mapping : compileMappingJson(mapping);
  let started = false;
  return {
    start(listener: MappingListener) {
      if (started) return Promise.reject(new ConflictError('mapping source', 'static', 'was already started'));
      started = true;
      listener.onMapping(compiled, undefined);
      return Promise.resolve();
    },
    current: () => (started ? compiled : undefined),
    stop: () => Promise.resolve(),
  };
}

function isCompiled(value: object): value is CompiledMapping {
  return 'producerTargets' in value && typeof value.producerTargets === 'function';
}
