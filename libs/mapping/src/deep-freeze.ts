// Mapping versions are immutable once published; freezing what we hand out turns an accidental
// mutation by a caller into an immediate TypeError instead of a silent divergence between
// clients that share the object.
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
