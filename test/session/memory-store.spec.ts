import { MemorySessionStore } from '../../src/session';
import { describeSessionStoreContract } from '../../src/session/testing';

describeSessionStoreContract({ describe, it, beforeAll, afterAll }, 'memory', () => {
  const store = new MemorySessionStore(50);
  return Promise.resolve({ store, close: () => store.close() });
});
