/** Settles as `work` does, or with `fallback` if that takes longer than timeoutMs. */
export function within<T>(work: Promise<T>, timeoutMs: number, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<T>((resolve) => (timer = setTimeout(resolve, timeoutMs, fallback)));
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}
