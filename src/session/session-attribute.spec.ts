import { z } from 'zod';
import { decodeAttribute, sessionAttribute } from './session-attribute';

describe('sessionAttribute', () => {
  const cart = sessionAttribute('cart', z.object({ lines: z.array(z.string()).max(2) }));

  it('takes a value its Standard Schema accepts', () => {
    expect(decodeAttribute(cart, '{"lines":["a"]}')).toEqual({ ok: true, value: { lines: ['a'] } });
  });

  it('refuses the whole value when any part of it fails, saying why', () => {
    const checked = decodeAttribute(cart, '{"lines":["a","b","c"]}');
    expect(checked.ok).toBe(false);
    expect(decodeAttribute(cart, 'not json')).toEqual({ ok: false, problem: 'not JSON' });
  });

  it('takes a type guard instead of a schema, or nothing (any JSON)', () => {
    const isKey = (v: unknown): v is string => typeof v === 'string';
    expect(decodeAttribute(sessionAttribute('k', isKey), '1').ok).toBe(false);
    expect(decodeAttribute(sessionAttribute('k'), '1')).toEqual({ ok: true, value: 1 });
  });
});
