// Code-unit order: the same on every machine and locale, which `localeCompare` is not, so sorted
// output (topic lists, diffs, documents) is byte-for-byte reproducible and the policy a decision
// names never depends on where the engine runs.
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
