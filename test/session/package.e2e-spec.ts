import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pollFor } from '../support/ports';
import { spawnTracked, terminate, Tracked } from '../support/processes';
import { TEST_REDIS_URL, testNamespace } from '../support/redis';

const ROOT = join(__dirname, '../..');
const FIXTURE = join(ROOT, 'test/fixtures/session-consumer');
const run = (cmd: string, args: string[], cwd: string) =>
  execFileSync(cmd, args, { cwd, stdio: 'pipe', timeout: 300_000 }).toString();

/**
 * The session library as another project gets it: packed (npm pack of dist-session), installed
 * with its peers at the declared ranges into a fresh Nest 11 app outside this project (from the
 * npm cache this project's install filled, else the registry), compiled against its shipped
 * types and run.
 */
describe('the packed session library in a fresh Nest 11 app', () => {
  let app: string;
  let server: Tracked | undefined;

  beforeAll(() => {
    app = mkdtempSync(join(tmpdir(), 'session-consumer-'));
    run('npm', ['run', 'build:session'], ROOT);
    const tarball = run(
      'npm',
      ['pack', join(ROOT, 'dist-session'), '--pack-destination', app],
      ROOT,
    )
      .trim()
      .split('\n')
      .pop()!;
    const manifest = JSON.parse(readFileSync(join(ROOT, 'dist-session/package.json'), 'utf8')) as {
      peerDependencies: Record<string, string>;
    };
    const peers = Object.entries(manifest.peerDependencies).filter(
      ([name]) => name !== 'prom-client',
    );
    writeFileSync(join(app, 'package.json'), '{ "name": "consumer", "private": true }\n');
    run(
      'npm',
      [
        'install',
        '--prefer-offline',
        '--no-audit',
        '--no-fund',
        `./${tarball}`,
        ...peers.map(([name, range]) => `${name}@${range}`),
        '@nestjs/platform-express@^11.0.0',
        'reflect-metadata@^0.2.0',
        'rxjs@^7.8.0',
        '@types/node@^20.0.0',
      ],
      app,
    );
    copyFileSync(join(FIXTURE, 'main.ts.tmpl'), join(app, 'main.ts'));
    copyFileSync(join(FIXTURE, 'tsconfig.json'), join(app, 'tsconfig.json'));
    run(join(ROOT, 'node_modules/.bin/tsc'), ['-p', '.'], app); // against the shipped types
  }, 600_000);

  afterEach(async () => {
    if (server) await terminate(server);
    server = undefined;
  });

  afterAll(() => rmSync(app, { recursive: true, force: true }));

  it('installs outside the project with no app names in it', () => {
    const installed = join(app, 'node_modules/nestjs-shared-session');
    const files = readdirSync(installed, { recursive: true }) as string[];
    expect(files).toEqual(
      expect.arrayContaining(['index.d.ts', 'redis.d.ts', 'testing.d.ts', 'README.md']),
    );
    for (const file of files.filter((f) => /\.(js|ts|json|md)$/.test(f))) {
      expect([
        file,
        readFileSync(join(installed, file), 'utf8').toLowerCase().includes('bookstore'),
      ]).toEqual([file, false]);
    }
  });

  it.each([
    ['memory', []],
    ['Redis', ['redis', TEST_REDIS_URL, testNamespace()]],
  ])('runs a basket flow on the %s store', async (_, args) => {
    server = await spawnTracked(
      'consumer',
      process.execPath,
      ['main.js', ...(args.length ? args : ['memory'])],
      app,
    );
    const port = await pollFor(
      'the consumer app to listen',
      () => Promise.resolve(/LISTENING (\d+)/.exec(server!.log())?.[1]),
      { timeoutMs: 60_000, intervalMs: 100, alive: () => server!.proc.exitCode === null },
    );
    const base = `http://127.0.0.1:${port}/basket`;
    const call = (method: string, path = '', cookie?: string, body?: unknown) =>
      fetch(base + path, {
        method,
        headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(10_000),
      });

    const empty = await call('GET');
    expect([empty.status, empty.headers.get('set-cookie'), await empty.json()]).toEqual([
      200,
      null,
      { id: false, lines: [], user: null },
    ]);
    const added = await call('POST', '', undefined, { sku: 'A', quantity: 1 });
    const cookie = added.headers.get('set-cookie')!.split(';')[0];
    expect(cookie).toMatch(/^SESSION=[\w-]{43}$/);
    await call('POST', '', cookie, { sku: 'B', quantity: 2 });
    const login = await call('POST', '/login', cookie, { user: 'ann' });
    const rotated = login.headers.get('set-cookie')!.split(';')[0];
    expect(rotated).not.toBe(cookie);
    const after = await call('GET', '', rotated);
    expect([after.headers.get('cache-control'), await after.json()]).toEqual([
      'no-store',
      {
        id: true,
        lines: [
          { sku: 'A', quantity: 1 },
          { sku: 'B', quantity: 2 },
        ],
        user: 'ann',
      },
    ]);
    expect(await (await call('GET', '', cookie)).json()).toEqual({
      id: false,
      lines: [],
      user: null,
    });
    expect((await call('DELETE', '', rotated)).status).toBe(204);
    expect(await (await call('GET', '', rotated)).json()).toEqual({
      id: true,
      lines: [],
      user: 'ann',
    });
  });
});
