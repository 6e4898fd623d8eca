import { PayloadTooLargeException } from '@nestjs/common';
import { SessionChanges } from './session-changes';

describe('SessionChanges', () => {
  const loaded = () => new SessionChanges(new Map([['a', '1']]));

  it('records nothing for the saved value again, and forgets a change set back', () => {
    const changes = loaded();
    changes.stage('a', '1', 1_000);
    expect(changes.isEmpty).toBe(true);
    changes.stage('a', '2', 1_000);
    changes.stage('a', '1', 1_000);
    expect(changes.isEmpty).toBe(true);
    changes.stage('missing', null, 1_000);
    expect(changes.isEmpty).toBe(true);
  });

  it('shows the changes on top of the saved state, and folds them into it', () => {
    const changes = loaded();
    changes.stage('b', '"x"', 1_000);
    changes.stage('a', null, 1_000);
    expect(changes.names()).toEqual(['b']);
    expect(changes.current('a')).toBeNull();
    expect(changes.value('b')).toBe('x');
    expect([...changes.entries()]).toEqual([
      ['b', '"x"'],
      ['a', null],
    ]);
    expect(changes.writesAny()).toBe(true);
    expect([...changes.merged()]).toEqual([['b', '"x"']]);
    changes.fold();
    expect(changes.isEmpty).toBe(true);
    expect([...changes.saved]).toEqual([['b', '"x"']]);
  });

  it('hands out frozen values and parses again after a change', () => {
    const changes = new SessionChanges(new Map([['cart', '{"items":[1]}']]));
    const cart = changes.value('cart') as { items: number[] };
    expect(() => cart.items.push(2)).toThrow(TypeError);
    expect(changes.value('cart')).toBe(cart);
    changes.stage('cart', '{"items":[]}', 1_000);
    expect(changes.value('cart')).toEqual({ items: [] });
  });

  it('takes what the store holds now after a conflict, dropping the change', () => {
    const changes = loaded();
    changes.stage('a', '5', 1_000);
    changes.reset('a', '7');
    expect(changes.get('a')).toBeUndefined();
    expect(changes.current('a')).toBe('7');
    changes.reset('a', null);
    expect(changes.current('a')).toBeNull();
  });

  it('refuses a change that makes the session larger than the cap', () => {
    const changes = new SessionChanges(new Map([['a', 'x'.repeat(50)]]));
    expect(() => changes.stage('b', 'y'.repeat(60), 100)).toThrow(PayloadTooLargeException);
    changes.stage('a', 'z'.repeat(90), 100); // replaces a: 1 + 90 bytes
    expect(changes.current('a')).toHaveLength(90);
  });
});
