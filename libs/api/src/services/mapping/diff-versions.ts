// What changed from one mapping version to another (`to` defaults to the current one).
import { compileMapping, diffMappings } from '@flotilla/mapping';
import type { ReadContext } from '../../context';

export async function diffVersions({ registry }: ReadContext, from: number, to?: number) {
  const last = to ?? (await registry.mapping.currentVersion());
  const [a, b] = await Promise.all([registry.mapping.get(from), registry.mapping.get(last)]);
  return diffMappings(compileMapping(a.document), compileMapping(b.document));
}
