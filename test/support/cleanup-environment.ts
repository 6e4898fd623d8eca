import { TestEnvironment } from 'jest-environment-node';
import { removeResources, TrackedResources } from './resources';

/**
 * Runs after every hook of a test file, also when it failed: removes the Redis namespaces and
 * databases the file created on the shared servers.
 */
export default class CleanupEnvironment extends TestEnvironment {
  override async teardown(): Promise<void> {
    const resources = this.global.__testResources as TrackedResources | undefined;
    try {
      if (resources) await removeResources(resources);
    } finally {
      await super.teardown();
    }
  }
}
