/** A value recomputed at most once per `ttlMs` (concurrent callers share one computation). */
export function cached<T>(ttlMs: number, compute: () => Promise<T>, clock: () => Date): () => Promise<T> {
  let value: Promise<T> | undefined;
  let at = 0;
  return () => {
    const now = clock().getTime();
    if (!value || now - at >= ttlMs) {
      at = now;
      value = compute().catch((err) => {
        value = undefined;
        throw err;
      });
    }
    return value;
  };
}
