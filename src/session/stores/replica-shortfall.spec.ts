import { ReplicaShortfall } from './replica-shortfall';

describe('ReplicaShortfall', () => {
  it('waits for replicas until a node comes up short, then skips, then lets one write probe', () => {
    jest.useFakeTimers({ now: 0 });
    const shortfall = new ReplicaShortfall(1_000);
    expect(shortfall.skipWait('a')).toBe(false);
    shortfall.record('a', false);
    expect(shortfall.skipWait('a')).toBe(true);
    expect(shortfall.skipWait('b')).toBe(false);
    jest.setSystemTime(1_001);
    expect(shortfall.skipWait('a')).toBe(false); // the probe
    expect(shortfall.skipWait('a')).toBe(true); // everyone else while it runs
    shortfall.record('a', true);
    expect(shortfall.skipWait('a')).toBe(false);
    jest.useRealTimers();
  });
});
