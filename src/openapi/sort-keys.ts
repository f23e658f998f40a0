/**
 * A deep copy of `value` with every object's keys in code-point order (arrays keep theirs), so
 * that the same document always serialises to the same text.
 */
export function sortKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map((entry: unknown) => sortKeys(entry)) as T;
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, entry]) => entry !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([key, entry]) => [key, sortKeys(entry)])) as T;
}
