import Ajv from 'ajv';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { useAppOnFreshDatabase } from '../support/app';
import { findK6 } from '../support/k6';
import { validatedVariables } from '../support/settings';

const ROOT = join(__dirname, '../..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const K6 = findK6();

interface Service {
  build?: { context: string; dockerfile: string };
  environment?: Record<string, string>;
  ports?: string[];
  expose?: string[];
  volumes?: string[];
  command?: string[];
  profiles?: string[];
  healthcheck?: object;
  stop_grace_period?: string;
}
const compose = parse(read('compose.yml'), { merge: true }) as {
  services: Record<string, Service>;
};
const apps = Object.entries(compose.services).filter(([, s]) => s.build);

/** docker/, compose.yml and k6/ checked without a Docker engine; k6/ with k6 when one is at hand. */
describe('deployment files', () => {
  const ctx = useAppOnFreshDatabase();
  let openapi: { paths: Record<string, Record<string, unknown>> };

  beforeAll(async () => {
    openapi = (await ctx.http().get('/api-docs').expect(200)).body;
  });

  function composeValidator() {
    // Ajv knows draft-07 by its http URL; the schema names it by https.
    const schema = JSON.parse(read('test/fixtures/compose-spec.schema.json')) as {
      $schema?: string;
    };
    delete schema.$schema;
    return new Ajv({ strict: false, allErrors: true, validateFormats: false }).compile(schema);
  }

  it('compose.yml is valid against the Compose Specification schema', () => {
    const validate = composeValidator();
    // Compose resolves YAML merge keys (<<) before it validates, and so does this.
    const valid = validate(parse(read('compose.yml'), { merge: true }));
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('the schema check rejects a broken compose file', () => {
    const validate = composeValidator();
    const broken = parse(read('compose.yml'), { merge: true }) as {
      services: Record<string, object>;
    };
    broken.services.nginx = { ...broken.services.nginx, ports: 'eighty', restrat: 'always' };
    expect(validate(broken)).toBe(false);
  });

  it('compose.yml has the promised topology', () => {
    const names = Object.keys(compose.services);
    expect(names.filter((n) => /^redis-\d$/.test(n))).toHaveLength(6);
    expect(apps.map(([n]) => n)).toEqual(['app1', 'app2', 'app3']);
    expect(compose.services.postgres).toBeDefined();
    expect(compose.services['redis-insight'].profiles).toEqual(['tools']);
    expect(compose.services.k6.profiles).toEqual(['load']);
    expect(compose.services.jaeger.profiles).toEqual(['tracing']);
    expect(compose.services.rabbitmq.healthcheck).toBeDefined();
    for (const [, app] of apps) expect(app.environment!.SESSION_DURABLE_REPLICAS).toBe('1');
    // gRPC reaches the apps on the compose network only.
    for (const [, app] of apps) {
      expect([app.environment!.GRPC_PORT, app.expose, app.ports]).toEqual([
        '50051',
        ['50051'],
        undefined,
      ]);
    }
  });

  it('compose.yml runs on Compose v1 too, on ports a run can choose, with a stop after the drain', () => {
    const raw = parse(read('compose.yml')) as Record<string, unknown>;
    // v1 rejects a top-level name ('name' does not match any of the regexes: '^x-'): -p gives it.
    expect(Object.keys(raw).filter((k) => !k.startsWith('x-'))).toEqual(['services', 'volumes']);
    const published = Object.values(compose.services).flatMap((s) => s.ports ?? []);
    expect(published.length).toBeGreaterThan(0);
    for (const port of published) expect(port).toMatch(/^\$\{[A-Z_]+:-\d+\}:\d+$/);
    const drainMs = Number(
      /SHUTDOWN_DEADLINE_MS = ([\d_]+)/.exec(read('src/main.ts'))![1].replace(/_/g, ''),
    );
    for (const [, app] of apps)
      expect(parseInt(app.stop_grace_period!, 10) * 1000).toBeGreaterThan(drainMs);
    expect(read('.dockerignore').split('\n')).toEqual(
      expect.arrayContaining(['node_modules', '.git']),
    );
  });

  it('every file compose.yml refers to exists', () => {
    for (const [, app] of apps)
      expect(existsSync(join(ROOT, app.build!.context, app.build!.dockerfile))).toBe(true);
    const binds = Object.values(compose.services)
      .flatMap((s) => s.volumes ?? [])
      .filter((v) => v.startsWith('./'))
      .map((v) => v.split(':')[0]);
    expect(binds.length).toBeGreaterThan(0);
    for (const bind of binds)
      expect({ bind, exists: existsSync(join(ROOT, bind)) }).toEqual({ bind, exists: true });
    expect(compose.services.k6.command).toEqual(['run', '/scripts/order-flow.js']);
    expect(existsSync(join(ROOT, 'k6/order-flow.js'))).toBe(true);
  });

  it('every environment variable given to the app is one the app reads', () => {
    const known = new Set(validatedVariables());
    for (const [, app] of apps) {
      const unknown = Object.keys(app.environment!).filter((k) => !known.has(k));
      expect(unknown).toEqual([]);
    }
  });

  it('the nginx config passes nginx -t with the compose upstreams', () => {
    const nginx = compose.services.nginx.environment!;
    const rendered = read('docker/nginx/templates/default.conf.template')
      .replace('${NGINX_UPSTREAM_SERVERS}', nginx.NGINX_UPSTREAM_SERVERS)
      .replace('${NGINX_LISTEN}', nginx.NGINX_LISTEN);
    expect(rendered).not.toMatch(/\$\{NGINX_/);
    const dir = mkdtempSync(join(tmpdir(), 'nginx-t-'));
    try {
      writeFileSync(join(dir, 'bookstore.conf'), rendered);
      writeFileSync(
        join(dir, 'nginx.conf'),
        `pid ${dir}/nginx.pid; error_log ${dir}/error.log;
         events {}
         http { access_log off; include ${dir}/bookstore.conf; }`,
      );
      // The upstream names resolve only inside compose: give nginx -t its own /etc/hosts.
      writeFileSync(join(dir, 'hosts'), '127.0.0.1 localhost app1 app2 app3\n');
      const out = execFileSync(
        'unshare',
        [
          // Not root: a user namespace of our own may still mount (no privilege needed).
          ...(process.getuid?.() === 0 ? [] : ['--map-root-user']),
          '--mount',
          'sh',
          '-c',
          `mount --bind ${dir}/hosts /etc/hosts && nginx -t -c ${dir}/nginx.conf -p ${dir}`,
        ],
        { stdio: 'pipe', encoding: 'utf8' },
      );
      expect(out).toBe('');
    } catch (e) {
      throw new Error(String((e as { stderr?: string }).stderr ?? e));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("the Dockerfile's commands refer to things that exist", () => {
    const dockerfile = read('docker/Dockerfile');
    const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> })
      .scripts;
    for (const [, script] of dockerfile.matchAll(/npm run (\S+)/g))
      expect(scripts[script]).toBeDefined();
    for (const [, sources] of dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)) {
      for (const source of sources.split(/\s+/))
        expect({ source, exists: existsSync(join(ROOT, source)) }).toEqual({
          source,
          exists: true,
        });
    }
    expect(dockerfile).toMatch(/^CMD \["node", "dist\/main.js"\]$/m);
    expect(existsSync(join(ROOT, 'src/main.ts'))).toBe(true);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile.match(/^FROM /gm)).toHaveLength(2);
    const healthPath = /HEALTHCHECK[\s\S]*?(\/health\/\w+)/.exec(dockerfile)![1];
    expect(openapi.paths[healthPath]).toBeDefined();
  });

  it.each(['k6/order-flow.js', 'k6/browse-and-cart.js'])(
    `%s ${K6 ? 'loads in k6 (k6 inspect)' : 'is read as text (no k6 at hand)'} and calls only documented endpoints`,
    (file) => {
      const source = read(file);
      if (K6) {
        // k6's own compiler: it refuses syntax that TypeScript or Node would accept.
        const options = JSON.parse(
          execFileSync(K6, ['inspect', join(ROOT, file)], {
            encoding: 'utf8',
            stdio: 'pipe',
            timeout: 60_000,
          }),
        ) as { thresholds: Record<string, string[]> };
        expect(options.thresholds).toMatchObject({
          checks: ['rate>0.99'],
          http_req_failed: ['rate<0.01'],
        });
      }
      for (const [, from] of source.matchAll(/^import .* from '([^']+)';$/gm))
        expect(from).toMatch(/^k6(\/|$)/);
      const calls = [
        ...source.matchAll(/http\.(get|post|put|del|patch)\(\s*`\$\{BASE_URL\}([^`?]+)/g),
      ];
      expect(calls.length).toBeGreaterThan(1);
      const documented = Object.entries(openapi.paths).map(([path, ops]) => ({
        pattern: new RegExp(`^${path.replace(/\{[^}]+\}/g, '[^/]+')}$`),
        methods: Object.keys(ops),
      }));
      for (const [, method, path] of calls) {
        const concrete = path.replace(/\$\{[^}]+\}/g, 'X');
        const verb = method === 'del' ? 'delete' : method;
        const match = documented.find((d) => d.pattern.test(concrete) && d.methods.includes(verb));
        expect({ call: `${verb} ${path}`, documented: !!match }).toEqual({
          call: `${verb} ${path}`,
          documented: true,
        });
      }
    },
  );
});
