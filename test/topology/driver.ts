import type { DriverOptions, LoadRun, VirtualUser } from './load-types';
import { RecordingClient } from './recording-client';
import { RunState } from './run-state';
import { Shopper } from './shopper';

/**
 * The k6 order flow in Node: virtual users (shopper.ts) browse, fill their cart and order, each
 * with its own session cookie, until the duration or the request cap is reached. Every request
 * is recorded; every acknowledged cart is checked against what the user's own requests imply,
 * so a lost or mixed-up session shows up at once.
 */
export function startLoad(options: DriverOptions): LoadRun {
  const state = new RunState(options);
  const client = new RecordingClient(options.baseUrl, state);
  const users: VirtualUser[] = Array.from({ length: options.vus }, (_, id) => ({ id, cart: [] }));
  const shoppers = users.map((u) => new Shopper(u, state, client, options.thinkTimeMs));
  const done = Promise.all(shoppers.map((s) => s.run())).then(() => undefined);
  return {
    users,
    records: state.records,
    orders: state.orders,
    unresolved: state.unresolved,
    anomalies: state.anomalies,
    now: state.now,
    done,
    stop: async () => {
      state.stopped = true;
      await done;
    },
  };
}
