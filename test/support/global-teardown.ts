import { RUN_ID, unlinkKeys, withAdminClient, dropDatabase } from './resources';

/**
 * The last step of a run: every file removes what it made, so anything of this run still on
 * the shared servers is a leak. It is removed, and the run fails naming it.
 */
export default async function globalTeardown(): Promise<void> {
  const keys = await unlinkKeys(`test:${RUN_ID}:*`);
  const databases = await withAdminClient(async (c) =>
    (
      await c.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [
        `bookstore\\_test\\_${RUN_ID}\\_%`,
      ])
    ).rows.map((r) => r.datname),
  );
  for (const name of databases) await dropDatabase(name);
  if (keys.length > 0 || databases.length > 0) {
    throw new Error(
      `The run left ${keys.length} Redis keys (${keys.slice(0, 5).join(', ')}) and ` +
        `${databases.length} databases (${databases.join(', ')}) on the shared servers`,
    );
  }
}
