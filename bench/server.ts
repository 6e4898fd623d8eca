// Server under test for bench/session-bench.ts; runs in its own process so the load
// generator never shares its event loop. Usage: server.ts <mode> <redisUrl> <namespace>
// Prints "LISTENING <port>" once it accepts connections on 127.0.0.1 (port chosen by the OS).
import 'reflect-metadata';
import { Controller, Get, Module, Param, Req } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { writeFileSync } from 'node:fs';
import { Session as Inspector } from 'node:inspector/promises';
import { RedisStore } from 'connect-redis';
import express, { Request } from 'express';
import session from 'express-session';
import { createClient } from 'redis';
import { createRedisSessionStore, HttpSession, Session, SessionModule } from '../src/session';

const [mode, redisUrl, namespace] = process.argv.slice(2);
const cartOf = (lines: number) =>
  Array.from({ length: lines }, (_, i) => ({ code: `B-${1000 + i}`, name: `Book number ${i}`, price: 12.5 + i, quantity: 1 + (i % 3) }));

@Controller()
class OurSessionController {
  @Get('bench') // (a): read `counter`, write it back incremented: a changed session each request
  rw(@Session() s: HttpSession) {
    const counter = (s.get<number>('counter') ?? 0) + 1;
    s.set('counter', counter);
    return { counter };
  }

  @Get('bench/read') // (a2): read only; the save is skipped (expiry refresh at most once per touch interval)
  read(@Session() s: HttpSession) {
    return { counter: s.get<number>('counter') ?? 0 };
  }

  @Get('bench/cart') // cart-size series: read the cart and write it back
  cart(@Session() s: HttpSession) {
    const cart = s.get<unknown[]>('cart') ?? [];
    s.set('cart', cart);
    return { lines: cart.length };
  }

  @Get('seed/:lines') // creates a session holding a cart of N lines (Set-Cookie)
  seed(@Session() s: HttpSession, @Param('lines') lines: string) {
    s.set('counter', 0);
    if (Number(lines) > 0) s.set('cart', cartOf(Number(lines)));
    return { ok: true };
  }
}

@Controller()
class PlainController {
  @Get('bench') // (b): the same route shape with no session at all
  plain() {
    return { counter: 1 };
  }
}

type CounterSession = { session: { counter?: number } };
const expressSessionHandler = (req: CounterSession) => {
  const counter = (req.session.counter ?? 0) + 1;
  req.session.counter = counter;
  return { counter };
};

@Controller()
class ExpressSessionController {
  @Get('bench') // (c): express-session middleware underneath the same Nest route
  rw(@Req() req: Request) {
    return expressSessionHandler(req as unknown as CounterSession);
  }
}

/** express-session + connect-redis on the node-redis client, as its README sets it up. */
async function expressSession() {
  const client = createClient({ url: redisUrl });
  await client.connect();
  const store = new RedisStore({ client, prefix: `${namespace}:sess:` });
  return session({ store, secret: 'bench-secret', resave: false, saveUninitialized: false });
}

async function main(): Promise<{ port: number; close: () => Promise<unknown> }> {
  if (mode === 'express') {
    // (d): no Nest at all
    const app = express();
    app.use(await expressSession());
    app.get('/bench', (req, res) => void res.json(expressSessionHandler(req as unknown as CounterSession)));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    return { port: (server.address() as { port: number }).port, close: () => new Promise((r) => server.close(r)) };
  }
  const imports =
    mode === 'nest-session'
      ? [
          SessionModule.forRoot({
            store: createRedisSessionStore(
              { mode: 'standalone', url: redisUrl },
              { namespace, durableReplicas: 0, durableTimeoutMs: 500, keyspaceNotifications: 'off', commandTimeoutMs: 1000, connectTimeoutMs: 2000 },
            ),
          }),
        ]
      : [];
  const controllers = { 'nest-session': OurSessionController, 'nest-plain': PlainController, 'nest-express-session': ExpressSessionController }[mode];
  if (!controllers) throw new Error(`unknown mode ${mode}`);
  @Module({ imports, controllers: [controllers] })
  class BenchModule {}
  const app = await NestFactory.create(BenchModule, { logger: false });
  if (mode === 'nest-express-session') app.use(await expressSession());
  await app.listen(0, '127.0.0.1');
  return { port: (app.getHttpServer().address() as { port: number }).port, close: () => app.close() };
}

/**
 * With BENCH_CPU_PROFILE=<file>: CPU profile from "listening" to SIGTERM, the same data as
 * `node --cpu-prof` but without the start-up (ts-node compiling) that would swamp a 5 s run.
 */
async function startProfiler(): Promise<() => Promise<void>> {
  const file = process.env.BENCH_CPU_PROFILE;
  if (!file) return async () => undefined;
  const inspector = new Inspector();
  inspector.connect();
  await inspector.post('Profiler.enable');
  await inspector.post('Profiler.start');
  return async () => writeFileSync(file, JSON.stringify((await inspector.post('Profiler.stop')).profile));
}

main().then(
  async ({ port, close }) => {
    const stopProfiler = await startProfiler();
    process.once('SIGTERM', () => void stopProfiler().then(close).finally(() => process.exit(0)));
    console.log(`LISTENING ${port}`);
  },
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
