import { MemorySessionStore } from '../../src/session';
import { describeStoreContract } from './store-contract';

describeStoreContract('memory', () => {
  const store = new MemorySessionStore(50);
  return Promise.resolve({ store, close: () => store.close() });
});
