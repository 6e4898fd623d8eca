import { HttpSession, sessionAttribute } from '../../src/session';

/** Exactly A and B: a member added to or taken from HttpSession fails `npm run typecheck`. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

const PUBLIC_MEMBERS = [
  'read',
  'write',
  'update',
  'invalidate',
  'rotate',
  'id',
  'principal',
  'persistent',
] as const;

const pinned: Same<keyof HttpSession, (typeof PUBLIC_MEMBERS)[number]> = true;

describe('HttpSession, the public face of a session', () => {
  it('offers exactly its documented members, none of the module plumbing', () => {
    expect(pinned).toBe(true);
    // At run time too: nothing else is reachable on the prototype by name.
    const own = Object.getOwnPropertyNames(HttpSession.prototype).filter(
      (n) => n !== 'constructor',
    );
    expect(own.sort()).toEqual([...PUBLIC_MEMBERS].sort());
  });

  it('types values by their attribute declaration', () => {
    const count = sessionAttribute<number>('count');
    type Read = ReturnType<typeof HttpSession.prototype.read<number>>;
    const typed: Same<Read, number | undefined> = true;
    expect([typed, count.name]).toEqual([true, 'count']);
  });
});
