import { ReplicaShortfall } from './replica-shortfall';

describe('ReplicaShortfall', () => {
  it('is short from a failed confirmation for a while, or until a confirmation', () => {
    jest.useFakeTimers({ now: 0 });
    const shortfall = new ReplicaShortfall(1_000);
    expect(shortfall.isShort('a')).toBe(false);
    shortfall.record('a', false);
    expect(shortfall.isShort('a')).toBe(true);
    expect(shortfall.isShort('b')).toBe(false);
    jest.setSystemTime(1_001);
    expect(shortfall.isShort('a')).toBe(false); // time to probe again
    shortfall.record('a', false);
    expect(shortfall.isShort('a')).toBe(true);
    shortfall.record('a', true);
    expect(shortfall.isShort('a')).toBe(false);
    jest.useRealTimers();
  });
});
