/** A value recomputed at most once per `ttlMs` (concurrent callers share one computation). */
export interface Cached<T> {
  (): Promise<T>;
  /** Forget the value: the next call recomputes it (after a change known to affect it). */
  invalidate(): void;
}

export function cached<T>(ttlMs: number, compute: () => Promise<T>, clock: () => Date): Cached<T> {
  let value: Promise<T> | undefined;
  let at = 0;
  const get = () => {
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
  return Object.assign(get, { invalidate: () => (value = undefined) });
}
