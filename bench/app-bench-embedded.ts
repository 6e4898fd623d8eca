// Embedded-mode memory: `npm run bench:embedded`. Starts the built app as `npm start` does with
// nothing configured (embedded PGlite in a fresh temporary data directory, in-memory sessions),
// reads its RSS idle and after the README's curl walkthrough, then restarts it on the same data
// and reads both again. Prints a markdown table; the data directory is removed at the end.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppProcess, startAppProcess } from '../test/support/app-process';
import { procMemMb as memMb, runBounded, sleep } from './app-bench-support';

const TARGET_MB = 350;
const SETTLE_MS = 3_000;
const dataDir = mkdtempSync(join(tmpdir(), 'bookstore-pglite-bench-'));
let app: AppProcess | undefined;


/** The README's walkthrough; the cookie jar is the one BOOKSTORE_SESSION cookie. */
async function walkthrough(url: string): Promise<void> {
  let cookie = '';
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { 'Content-Type': 'application/json', ...(cookie ? { Cookie: cookie } : {}), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const set = res.headers.getSetCookie().find((c) => c.startsWith('BOOKSTORE_SESSION='));
    if (set) cookie = set.split(';')[0];
    await res.arrayBuffer();
    return res.status;
  };
  const order = { customer: { name: 'Ada', email: 'ada@example.com', phone: '123' }, deliveryAddress: '1 Main St' };
  const statuses = [
    await call('GET', '/api/products?page=2'),
    await call('GET', '/api/products/P100'),
    await call('POST', '/api/cart/items', { code: 'P100', quantity: 2 }),
    await call('POST', '/api/cart/items', { code: 'P101', quantity: 3 }),
    await call('POST', '/api/orders', order, { 'Idempotency-Key': `demo-${Date.now()}` }),
    await call('GET', '/api/cart'),
    await call('GET', '/api/orders'),
    await call('GET', '/api/products/NOPE'),
    await call('POST', '/api/auth/login', { username: 'alice', password: 'alice-secret-1' }),
    await call('GET', '/api/auth/me'),
    await call('POST', '/api/auth/logout'),
  ];
  const expected = [200, 200, 201, 201, 201, 200, 200, 404, 200, 200, 204];
  if (statuses.join() !== expected.join()) throw new Error(`walkthrough answered ${statuses.join()}`);
}

async function measure(label: string): Promise<string[]> {
  app = await startAppProcess({ PGLITE_DATA_DIR: dataDir }, 180_000);
  const pid = app.proc.pid!;
  await sleep(SETTLE_MS);
  const idle = memMb(pid, 'VmRSS');
  await walkthrough(app.url);
  await sleep(SETTLE_MS);
  const rows = [
    `| ${label}, idle | ${idle.toFixed(0)} | |`,
    `| ${label}, after the walkthrough | ${memMb(pid, 'VmRSS').toFixed(0)} | ${memMb(pid, 'VmHWM').toFixed(0)} |`,
  ];
  await app.stop();
  app = undefined;
  return rows;
}

async function main(): Promise<void> {
  const rows = [...(await measure('first start (empty data directory)')), ...(await measure('restart on the same data'))];
  const after = rows.filter((r) => r.includes('after')).map((r) => Number(r.split('|')[2]));
  console.log(
    [
      `Node ${process.version}, ${new Date().toISOString().slice(0, 16)} UTC`,
      '',
      '| app process (`node dist/main.js`, nothing configured) | RSS MB | peak (VmHWM) MB |',
      '|---|---|---|',
      ...rows,
      '',
      `| target | measured | result |`,
      '|---|---|---|',
      `| RSS after the walkthrough ≤ ${TARGET_MB} MB | ${Math.max(...after)} MB | ${Math.max(...after) <= TARGET_MB ? 'PASS' : 'MISS'} |`,
    ].join('\n'),
  );
}

async function cleanup(): Promise<void> {
  await app?.stop().catch(() => undefined);
  rmSync(dataDir, { recursive: true, force: true });
}

runBounded(main, cleanup, 8 * 60_000);
