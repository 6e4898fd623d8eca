import { PayloadTooLargeException } from '@nestjs/common';
import { sessionAttribute } from './session-attribute';
import { SessionChanges } from './session-changes';

const fail = () => {
  throw new Error('unexpected: the value is usable');
};

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
    expect(changes.current('a')).toBeNull();
    expect(changes.value(sessionAttribute('b'), fail)).toBe('x');
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
    const attribute = sessionAttribute<{ items: number[] }>('cart');
    const cart = changes.value(attribute, fail)!;
    expect(() => cart.items.push(2)).toThrow(TypeError);
    expect(changes.value(attribute, fail)).toBe(cart);
    changes.stage('cart', '{"items":[]}', 1_000);
    expect(changes.value(attribute, fail)).toEqual({ items: [] });
  });

  it('reports a stored value that is not JSON or fails its check, and hands out nothing', () => {
    const changes = new SessionChanges(
      new Map([
        ['a', '{oops'],
        ['n', '"seven"'],
      ]),
    );
    const problems: string[] = [];
    const isNumber = (v: unknown): v is number => typeof v === 'number';
    expect(changes.value(sessionAttribute('a'), (p) => problems.push(p))).toBeUndefined();
    expect(changes.value(sessionAttribute('n', isNumber), (p) => problems.push(p))).toBeUndefined();
    expect(problems).toEqual(['not JSON', 'not of the declared type']);
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
