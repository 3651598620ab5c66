// The doctor's --json output shows the decoded token, which is attacker-made: a claim nested ten
// thousand arrays deep would overflow JSON.stringify's recursion. Values are copied down to a
// fixed depth first (deeper ones are replaced by a marker), so serializing is bounded.

const MAX_DEPTH = 16;

/** A copy of `value` that is at most {@link MAX_DEPTH} levels deep. */
export function boundedCopy(value: unknown, depth = 0): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= MAX_DEPTH) return `[nested deeper than ${MAX_DEPTH} levels: not shown]`;
  if (Array.isArray(value)) return value.map((item) => boundedCopy(item, depth + 1));
  // fromEntries defines own properties, so a claim named "__proto__" is shown as a claim instead of
  // becoming the copy's prototype.
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, boundedCopy(item, depth + 1)]));
}
