import { randomBytes } from 'node:crypto';

/** One id per jest run; the workers inherit it through the environment. */
export default function globalSetup(): void {
  process.env.TEST_RUN_ID ??= randomBytes(4).toString('hex');
}
