import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppProcess, startAppProcess } from '../support/app-process';
import { getJson } from '../support/http';

/** A first start runs initdb (seconds of CPU): generous for a busy CI machine. */
const START_TIMEOUT_MS = 120_000;

describe('embedded default: nothing configured', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'bookstore-pglite-'));
  let app: AppProcess;

  beforeAll(async () => {
    app = await startAppProcess({ PGLITE_DATA_DIR: dataDir }, START_TIMEOUT_MS);
  }, START_TIMEOUT_MS + 10_000);

  afterAll(async () => {
    await app?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('says in its log that it runs on embedded PGlite', async () => {
    const log = await app.outputWith('Database: embedded PGlite');
    expect(log).toContain(`Database: embedded PGlite at ${dataDir}`);
  });

  it('serves the seeded catalogue', async () => {
    const page = await getJson(`${app.url}/api/products`);
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({ totalElements: 15, totalPages: 2, isFirst: true });
    expect(page.body.data).toHaveLength(10);
    const p100 = await getJson(`${app.url}/api/products/P100`);
    expect(p100.body).toMatchObject({ name: 'The Hunger Games', price: 34 });
    expect((await getJson(`${app.url}/health/ready`)).status).toBe(200);
  });

  it(
    'shuts down cleanly on SIGTERM and keeps its data for the next start',
    async () => {
      const started = Date.now();
      expect(await app.stop()).toBe(0);
      expect(Date.now() - started).toBeLessThan(10_000);
      app = await startAppProcess({ PGLITE_DATA_DIR: dataDir }, START_TIMEOUT_MS);
      await app.outputWith('Migrations applied now: 0');
      expect((await getJson(`${app.url}/api/products`)).body.totalElements).toBe(15);
    },
    START_TIMEOUT_MS + 30_000,
  );
});
