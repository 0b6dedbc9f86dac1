// Raw mapping text → compiled mapping. Every way the text can be wrong, including not being JSON
// at all, ends as a MappingValidationError whose message names where in the document.
import { MappingValidationError, compileMapping, parseMapping, type CompiledMapping } from '@flotilla/mapping';

/** JSON.parse that fails like the rest of validation, at the document's root. */
export function parseMappingJson(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new MappingValidationError([{ path: '(root)', message: `not valid JSON: ${reason}` }]);
  }
}

/** The `version` a parsed document declares, if it declares a usable one; read before validating. */
export function declaredVersion(json: unknown): number | undefined {
  if (typeof json !== 'object' || json === null || !('version' in json)) return undefined;
  const version: unknown = json.version;
  return typeof version === 'number' && Number.isSafeInteger(version) ? version : undefined;
}

export function compileMappingJson(json: unknown): CompiledMapping {
  return compileMapping(parseMapping(json));
}

export function compileMappingText(raw: string): CompiledMapping {
  return compileMappingJson(parseMappingJson(raw));
}
