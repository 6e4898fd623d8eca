import { randomBytes } from 'node:crypto';
import type { SessionStore, SessionWrite } from '../../src/session';
import { waitFor } from '../support/http';

export interface StoreUnderTest {
  store: SessionStore;
  close(): Promise<void>;
}

const id = () => randomBytes(32).toString('base64url');

function change(over: Partial<SessionWrite> = {}): SessionWrite {
  return {
    lastAccessedTime: Date.now(),
    maxInactiveInterval: 60,
    changes: new Map(),
    ...over,
  };
}

const create = (set: Record<string, unknown> = {}, over: Partial<SessionWrite> = {}) =>
  change({
    create: { creationTime: 1_000 },
    changes: new Map(Object.entries(set).map(([k, v]) => [k, JSON.stringify(v)])),
    ...over,
  });

/** The same expectations for every session store. */
export function describeStoreContract(name: string, open: () => Promise<StoreUnderTest>): void {
  describe(`session store contract: ${name}`, () => {
    let subject: StoreUnderTest;
    let store: SessionStore;
    // Subscribed long before the expiry test, so its 1 s session cannot expire unobserved.
    const expired = new Set<string>();

    beforeAll(async () => {
      subject = await open();
      store = subject.store;
      expect(await store.ready(20_000)).toBe(true);
      store.onExpired((sid) => expired.add(sid));
    });

    afterAll(async () => {
      await subject?.close();
    });

    it('knows nothing of an unknown id', async () => {
      expect(await store.load(id())).toBeNull();
      expect(await store.delete(id())).toBe(false);
    });

    it('creates a session and loads it back', async () => {
      const sid = id();
      expect(await store.write(sid, create({ cart: { items: [1] } }))).toEqual({ status: 'ok' });
      const record = await store.load(sid);
      expect(record).toMatchObject({ creationTime: 1_000, maxInactiveInterval: 60 });
      expect(record!.lastAccessedTime).toBeGreaterThan(Date.now() - 5_000);
      expect([...record!.attributes]).toEqual([['cart', '{"items":[1]}']]);
    });

    it('refuses to create over an existing session', async () => {
      const sid = id();
      await store.write(sid, create({ a: 1 }));
      expect(await store.write(sid, create({ a: 2 }))).toEqual({ status: 'exists' });
      expect((await store.load(sid))!.attributes.get('a')).toBe('1');
    });

    it('never resurrects a deleted session with a late write', async () => {
      const sid = id();
      await store.write(sid, create({ a: 1 }));
      expect(await store.delete(sid)).toBe(true);
      const late = change({ changes: new Map([['a', '2']]) });
      expect(await store.write(sid, late)).toEqual({ status: 'gone' });
      expect(await store.load(sid)).toBeNull();
    });

    it('applies deltas: sets and removes only the named attributes', async () => {
      const sid = id();
      await store.write(sid, create({ a: 1, b: 2, c: 3 }));
      await store.write(sid, change({ changes: new Map([['a', '10']]) }));
      const removal = new Map([
        ['d', '4'],
        ['c', null],
      ]);
      await store.write(sid, change({ changes: removal }));
      const attrs = Object.fromEntries((await store.load(sid))!.attributes);
      expect(attrs).toEqual({ a: '10', b: '2', d: '4' });
    });

    it('compare-and-set: writes when the expectation holds, else writes nothing', async () => {
      const sid = id();
      await store.write(sid, create({ n: 1 }));
      const ok = change({ changes: new Map([['n', '2']]), expect: { name: 'n', json: '1' } });
      expect(await store.write(sid, ok)).toEqual({ status: 'ok' });
      const stale = change({
        changes: new Map([
          ['n', '3'],
          ['other', '"x"'],
        ]),
        expect: { name: 'n', json: '1' },
      });
      expect(await store.write(sid, stale)).toEqual({ status: 'conflict', current: '2' });
      expect(Object.fromEntries((await store.load(sid))!.attributes)).toEqual({ n: '2' });
    });

    it('reports an attribute removed meanwhile as a conflict with null', async () => {
      const sid = id();
      await store.write(sid, create({ a: 1 }));
      const stale = change({ changes: new Map([['a', '2']]), expect: { name: 'a', json: '0' } });
      await store.write(sid, change({ changes: new Map([['a', null]]) }));
      expect(await store.write(sid, stale)).toEqual({ status: 'conflict', current: null });
    });

    it('compare-and-set on absence', async () => {
      const sid = id();
      await store.write(sid, create({ a: 1 }));
      const first = change({ changes: new Map([['b', '1']]), expect: { name: 'b', json: null } });
      expect(await store.write(sid, first)).toEqual({ status: 'ok' });
      expect(await store.write(sid, first)).toEqual({ status: 'conflict', current: '1' });
    });

    it('expires a session after its inactivity interval and reports it', async () => {
      const sid = id();
      await store.write(sid, create({ a: 1 }, { maxInactiveInterval: 1 }));
      expect(await store.load(sid)).not.toBeNull();
      await waitFor('expiry', async () => (await store.load(sid)) === null, 20_000, 100);
      await waitFor('expired event', () => Promise.resolve(expired.has(sid)), 20_000, 100);
    });

    it('indexes sessions by principal and prunes the ones that are gone', async () => {
      const principal = `user-${id()}`;
      const [a, b] = [id(), id()];
      for (const sid of [a, b]) {
        await store.write(sid, create({ principalName: principal }));
        await store.index(principal, sid, 60);
      }
      expect((await store.findByPrincipal(principal)).sort()).toEqual([a, b].sort());
      await store.delete(a);
      expect(await store.findByPrincipal(principal)).toEqual([b]);
      await store.unindex(principal, b);
      expect(await store.findByPrincipal(principal)).toEqual([]);
    });

    it('counts hits per bucket in a fixed window', async () => {
      const client = `10.0.0.${randomBytes(1)[0]}-${id()}`;
      expect(await store.hit(client, 300, 0)).toBe(0);
      expect(await store.hit(client, 300)).toBe(1);
      expect(await store.hit(client, 300, 2)).toBe(3);
      expect(await store.hit(client, 300, 0)).toBe(3);
      await new Promise((r) => setTimeout(r, 400));
      expect(await store.hit(client, 300)).toBe(1);
    });

    it('answers a ping', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });
  });
}
