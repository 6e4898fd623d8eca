import { appMigrations } from '../../src/app.migrations';
import { startAppProcess } from '../support/app-process';
import { createTestDatabase, TestDatabase } from '../support/database';
import { getJson } from '../support/http';

describe('start-up', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });

  afterAll(async () => {
    await db?.drop();
  });

  it('two instances started together on an empty database both become ready', async () => {
    const started = await Promise.allSettled([
      startAppProcess({ DATABASE_URL: db.url }),
      startAppProcess({ DATABASE_URL: db.url }),
    ]);
    const apps = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    try {
      for (const s of started) if (s.status === 'rejected') throw s.reason;
      for (const app of apps) {
        expect((await getJson(`${app.url}/health/ready`)).status).toBe(200);
        expect((await getJson(`${app.url}/api/products`)).body.totalElements).toBe(15);
      }
      const logs = await Promise.all(apps.map((a) => a.outputWith('Migrations applied now:')));
      const applied = logs.map((log) => /Migrations applied now: (\d+)/.exec(log)?.[1]);
      expect(applied.sort()).toEqual(['0', String(appMigrations.length)]);
      const [row] = await db.query<{ n: string }>('SELECT count(*) AS n FROM catalog.products');
      expect(row.n).toBe('15');
    } finally {
      await Promise.all(apps.map((a) => a.stop()));
    }
  });

  it.each([
    ['PORT', 'abc'],
    ['DATABASE_URL', 'mysql://nope'],
    ['LOG_LEVEL', 'loud'],
    ['CORS_ORIGINS', 'not an origin'],
  ])('refuses to start when %s=%p, naming the variable', async (name, value) => {
    // Should it start after all, stop it before failing, so no process outlives the test.
    const started = startAppProcess({ DATABASE_URL: db.url, [name]: value }).then(async (app) => {
      await app.stop();
      throw new Error(`started with ${name}=${value}`);
    });
    await expect(started).rejects.toThrow(new RegExp(`exit code 1\\)[\\s\\S]*${name}`));
  });
});
