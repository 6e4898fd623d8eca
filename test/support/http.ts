import { pollUntil } from './ports';

/** Polls until the predicate holds or the deadline passes (pollUntil with test defaults). */
export function waitFor(
  what: string,
  predicate: () => Promise<boolean>,
  timeoutMs = 20_000,
  intervalMs = 200,
): Promise<void> {
  return pollUntil(what, predicate, { timeoutMs, intervalMs });
}

export async function getJson(url: string): Promise<{ status: number; body: any }> {
  const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  return { status: res.status, body: await res.json() };
}
