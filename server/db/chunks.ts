/** Ids per `IN (…)` list: far below SQL Server's 2100 parameters and SQLite's limits. */
export const ID_CHUNK = 1000;

/** `items` cut into lists of at most `size`, for `IN (…)` conditions and batched writes. */
export function chunks<T>(items: readonly T[], size = ID_CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
