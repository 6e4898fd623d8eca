import { deepStrictEqual as equal, ok } from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  hasEventBus,
  hasPrincipalIndex,
  hasRateCounter,
  SessionStore,
  SessionWrite,
} from '../stores/session-store';

/** The test runner's functions (jest's, vitest's; node:test's `before`/`after` as the hooks). */
export interface TestRunner {
  describe(name: string, body: () => void): void;
  it(name: string, body: () => Promise<void>): void;
  beforeAll(body: () => Promise<void>): void;
  afterAll(body: () => Promise<void>): void;
}

export interface StoreUnderTest {
  store: SessionStore;
  close(): Promise<void>;
}

const newId = () => randomBytes(32).toString('base64url');

const change = (over: Partial<SessionWrite> = {}): SessionWrite => ({
  lastAccessedTime: Date.now(),
  maxInactiveInterval: 60,
  changes: new Map(),
  ...over,
});

const create = (set: Record<string, unknown> = {}, over: Partial<SessionWrite> = {}) =>
  change({
    create: { creationTime: 1_000 },
    changes: new Map(Object.entries(set).map(([k, v]) => [k, JSON.stringify(v)])),
    ...over,
  });

async function eventually(what: string, check: () => Promise<boolean>, timeoutMs = 20_000) {
  for (const deadline = Date.now() + timeoutMs; !(await check());) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const attrs = async (store: SessionStore, id: string) =>
  Object.fromEntries((await store.load(id))?.attributes ?? []);

/**
 * The expectations every SessionStore meets, for store authors: call it from a test file with
 * your runner's functions, e.g. `describeSessionStoreContract({ describe, it, beforeAll,
 * afterAll }, 'my store', async () => ({ store, close }))`. The optional capabilities
 * (principal index, rate counter) are checked when the store has them.
 */
export function describeSessionStoreContract(
  t: TestRunner,
  name: string,
  open: () => Promise<StoreUnderTest>,
): void {
  t.describe(`session store contract: ${name}`, () => {
    let subject: StoreUnderTest | undefined;
    let store: SessionStore;
    // Subscribed long before the expiry test, so its 1 s session cannot expire unobserved.
    const expired = new Set<string>();

    t.beforeAll(async () => {
      subject = await open();
      store = subject.store;
      ok(await store.ready(20_000), 'the store became ready');
      store.onExpired((id) => expired.add(id));
    });

    t.afterAll(async () => {
      await subject?.close();
    });

    t.it('knows nothing of an unknown id', async () => {
      equal(await store.load(newId()), null);
      equal(await store.delete(newId()), false);
    });

    t.it('creates a session and loads it back', async () => {
      const id = newId();
      equal(await store.write(id, create({ cart: { items: [1] } })), { status: 'ok' });
      const record = (await store.load(id))!;
      equal([record.creationTime, record.maxInactiveInterval], [1_000, 60]);
      ok(record.lastAccessedTime > Date.now() - 5_000);
      equal([...record.attributes], [['cart', '{"items":[1]}']]);
    });

    t.it('refuses to create over an existing session', async () => {
      const id = newId();
      await store.write(id, create({ a: 1 }));
      equal(await store.write(id, create({ a: 2 })), { status: 'exists' });
      equal(await attrs(store, id), { a: '1' });
    });

    t.it('never resurrects a deleted session with a late write', async () => {
      const id = newId();
      await store.write(id, create({ a: 1 }));
      equal(await store.delete(id), true);
      equal(await store.write(id, change({ changes: new Map([['a', '2']]) })), { status: 'gone' });
      equal(await store.load(id), null);
    });

    t.it('applies deltas: sets and removes only the named attributes', async () => {
      const id = newId();
      await store.write(id, create({ a: 1, b: 2, c: 3 }));
      await store.write(id, change({ changes: new Map([['a', '10']]) }));
      const removal = new Map([
        ['d', '4'],
        ['c', null],
      ]);
      await store.write(id, change({ changes: removal }));
      equal(await attrs(store, id), { a: '10', b: '2', d: '4' });
    });

    t.it('compare-and-set: writes when the expectation holds, else writes nothing', async () => {
      const id = newId();
      await store.write(id, create({ n: 1 }));
      const ok1 = change({ changes: new Map([['n', '2']]), expect: { name: 'n', json: '1' } });
      equal(await store.write(id, ok1), { status: 'ok' });
      const stale = change({
        changes: new Map([
          ['n', '3'],
          ['other', '"x"'],
        ]),
        expect: { name: 'n', json: '1' },
      });
      equal(await store.write(id, stale), { status: 'conflict', current: '2' });
      equal(await attrs(store, id), { n: '2' });
    });

    t.it('reports an attribute removed meanwhile as a conflict with null', async () => {
      const id = newId();
      await store.write(id, create({ a: 1 }));
      const stale = change({ changes: new Map([['a', '2']]), expect: { name: 'a', json: '0' } });
      await store.write(id, change({ changes: new Map([['a', null]]) }));
      equal(await store.write(id, stale), { status: 'conflict', current: null });
    });

    t.it('compare-and-set on absence', async () => {
      const id = newId();
      await store.write(id, create({ a: 1 }));
      const first = change({ changes: new Map([['b', '1']]), expect: { name: 'b', json: null } });
      equal(await store.write(id, first), { status: 'ok' });
      equal(await store.write(id, first), { status: 'conflict', current: '1' });
    });

    t.it('expires a session after its inactivity interval and reports it', async () => {
      const id = newId();
      await store.write(id, create({ a: 1 }, { maxInactiveInterval: 1 }));
      ok((await store.load(id)) !== null);
      await eventually('expiry', async () => (await store.load(id)) === null);
      await eventually('the expired event', () => Promise.resolve(expired.has(id)));
    });

    t.it('indexes sessions by principal and prunes the ones that are gone', async () => {
      if (!hasPrincipalIndex(store)) return;
      const principal = `user-${newId()}`;
      const [a, b] = [newId(), newId()];
      for (const id of [a, b]) {
        await store.write(id, create({ principalName: principal }));
        await store.index(principal, id, 60);
      }
      equal((await store.findByPrincipal(principal)).sort(), [a, b].sort());
      await store.delete(a);
      equal(await store.findByPrincipal(principal), [b]);
      await store.unindex(principal, b);
      equal(await store.findByPrincipal(principal), []);
    });

    t.it('counts hits per bucket in a fixed window', async () => {
      if (!hasRateCounter(store)) return;
      const counter = store;
      const bucket = `client-${newId()}`;
      equal(await counter.hit(bucket, 300, 0), 0);
      equal(await counter.hit(bucket, 300), 1);
      equal(await counter.hit(bucket, 300, 2), 3);
      equal(await counter.hit(bucket, 300, 0), 3);
      await eventually('the next window', async () => (await counter.hit(bucket, 300, 0)) === 0);
      equal(await counter.hit(bucket, 300), 1);
    });

    t.it('broadcasts a published message to its subscribers', async () => {
      if (!hasEventBus(store)) return;
      const bus = store;
      const heard: string[] = [];
      bus.subscribe((message) => heard.push(message));
      const message = `hello-${newId()}`;
      // A new subscription may take a moment to be in place: publish until it is heard.
      await eventually('the message', async () => {
        await bus.publish(message);
        return heard.includes(message);
      });
    });

    t.it('answers a ping', async () => {
      equal(await store.ping(), undefined);
    });
  });
}
