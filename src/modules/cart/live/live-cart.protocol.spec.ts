import { sessionIdFromCookie } from './live-cart.protocol';

const ID = 'a'.repeat(40) + '-_b';

describe('sessionIdFromCookie', () => {
  it('finds the named cookie among others', () => {
    expect(sessionIdFromCookie(`theme=dark; S=${ID}; other=1`, 'S')).toBe(ID);
  });

  it('takes the first of two, as the HTTP path does', () => {
    expect(sessionIdFromCookie(`S=${ID}; S=${'c'.repeat(43)}`, 'S')).toBe(ID);
  });

  it('treats a missing header, another name or a malformed id as no id', () => {
    expect(sessionIdFromCookie(undefined, 'S')).toBeUndefined();
    expect(sessionIdFromCookie(`XS=${ID}`, 'S')).toBeUndefined();
    expect(sessionIdFromCookie('S=short', 'S')).toBeUndefined();
    expect(sessionIdFromCookie(`S=${ID}x`, 'S')).toBeUndefined();
    expect(sessionIdFromCookie(`S=${'a'.repeat(42)}=`, 'S')).toBeUndefined();
  });
});
