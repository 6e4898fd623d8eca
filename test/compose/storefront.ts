import WebSocket from 'ws';
import type { Check } from './checks';

const DEADLINE_MS = 15_000;

/**
 * What a browser does first, through nginx: the storefront page and its bundle, then one
 * live-cart socket of a session with a line in its cart (same-origin `Origin`, the cookie).
 */
export async function storefrontCheck(baseUrl: string): Promise<Check> {
  const problems: unknown[] = [];
  try {
    const page = await fetch(`${baseUrl}/`, { signal: AbortSignal.timeout(DEADLINE_MS) });
    const html = await page.text();
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    if (page.status !== 200 || !script) problems.push({ page: page.status, script });
    else {
      const bundle = await fetch(`${baseUrl}${script}`, {
        signal: AbortSignal.timeout(DEADLINE_MS),
      });
      if (bundle.status !== 200) problems.push({ bundle: bundle.status });
    }
    const added = await fetch(`${baseUrl}/api/cart/items`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: 'P100', quantity: 2 }),
      signal: AbortSignal.timeout(DEADLINE_MS),
    });
    const cookie = added.headers.get('set-cookie')?.split(';')[0];
    if (added.status !== 201 || !cookie)
      problems.push({ addToCart: added.status, cookie: !!cookie });
    else problems.push(...(await liveCart(baseUrl, cookie)));
  } catch (e) {
    problems.push(String(e));
  }
  return {
    name: 'the storefront and its bundle load through nginx; a live-cart socket gets the cart',
    problems,
  };
}

/** Problems seen on one socket: it must say hello, then send the cart with P100 × 2. */
function liveCart(baseUrl: string, cookie: string): Promise<unknown[]> {
  const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/api/cart/live`, {
    headers: { Origin: baseUrl, Cookie: cookie },
  });
  return new Promise((resolve) => {
    const seen: string[] = [];
    const done = (problems: unknown[]) => {
      clearTimeout(timer);
      socket.terminate();
      resolve(problems);
    };
    const timer = setTimeout(
      () => done([{ socket: 'no cart within the deadline', seen }]),
      DEADLINE_MS,
    );
    socket.on('unexpected-response', (_req, res) => done([{ upgrade: res.statusCode }]));
    socket.on('error', (e) => done([{ socket: String(e) }]));
    socket.on('message', (data: Buffer) => {
      const message = JSON.parse(data.toString()) as {
        type: string;
        cart?: { items: Array<{ code: string; quantity: number }> };
      };
      seen.push(message.type);
      if (message.type !== 'cart') return;
      const items = message.cart?.items.map((i) => [i.code, i.quantity]);
      const ok = seen[0] === 'hello' && JSON.stringify(items) === JSON.stringify([['P100', 2]]);
      done(ok ? [] : [{ seen, items }]);
    });
  });
}
