// For store authors: the SessionStore contract as a suite for any test runner.
export { describeSessionStoreContract } from './testing/store-contract';
export type { StoreUnderTest, TestRunner } from './testing/store-contract';
