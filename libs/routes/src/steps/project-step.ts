// `{ "project": { "keep": [...] } }` keeps only the listed fields (with the objects leading to
// them); `{ "project": { "drop": [...] } }` removes them. A listed field that the value lacks is
// simply not there afterwards: projection says which fields may pass, not which must exist.
import type { FieldPath } from '../route-definition';
import { isJsonObject, splitFieldPath, takeField, type JsonObject } from '../field-path';
import { CONTINUE, rewriteObjectValue, type CompiledStep } from './compiled-step';

/** Fields to keep: `true` keeps the whole field, a nested tree keeps only part of it. */
interface KeepTree {
  readonly [segment: string]: KeepTree | true;
}

export function compileProjectStep(spec: { readonly keep: readonly FieldPath[] } | { readonly drop: readonly FieldPath[] }): CompiledStep {
  if ('keep' in spec) {
    const tree = keepTree(spec.keep);
    return {
      type: 'project',
      run: (state) =>
        rewriteObjectValue(state, (value) => {
          state.changeValue(pick(value, tree));
          return CONTINUE;
        }),
    };
  }
  const paths = spec.drop.map(splitFieldPath);
  return {
    type: 'project',
    run: (state) =>
      rewriteObjectValue(state, (value) => {
        for (const path of paths) takeField(value, path);
        return CONTINUE;
      }),
  };
}

function keepTree(paths: readonly FieldPath[]): KeepTree {
  const root: Record<string, KeepTree | true> = Object.create(null);
  for (const path of paths) {
    let node = root;
    const segments = splitFieldPath(path);
    for (const [i, segment] of segments.entries()) {
      const existing = node[segment];
      // Keeping "a" keeps all of it, whatever "a.b" asks for, in either order.
      if (existing === true) break;
      if (i === segments.length - 1) {
        node[segment] = true;
        break;
      }
      const child: Record<string, KeepTree | true> = existing ?? Object.create(null);
      node[segment] = child;
      node = child;
    }
  }
  return root;
}

function pick(source: JsonObject, tree: KeepTree): JsonObject {
  const kept: JsonObject = {};
  for (const [segment, subtree] of Object.entries(tree)) {
    if (!Object.hasOwn(source, segment)) continue;
    const field = source[segment];
    if (subtree === true) {
      kept[segment] = field;
    } else if (isJsonObject(field)) {
      const part = pick(field, subtree);
      if (Object.keys(part).length > 0) kept[segment] = part;
    }
  }
  return kept;
}
