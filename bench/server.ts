// Server under test for bench/session-bench.ts, in its own process so that the load generator
// never shares its event loop. Usage: server.ts <mode> <redisUrl> <namespace>; prints
// "LISTENING <port>" once it accepts connections on 127.0.0.1 (the OS picks a free port).
import 'reflect-metadata';
import { Controller, Get, Module, Param, Req } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { RedisStore } from 'connect-redis';
import express from 'express';
import session from 'express-session';
import { writeFileSync } from 'node:fs';
import { Session as Inspector } from 'node:inspector/promises';
import { createClient } from 'redis';
import Redis from 'ioredis';
import { HttpSession, Session, sessionAttribute, SessionModule } from '../src/session';
import { createRedisSessionStore, RedisSessionStore } from '../src/session/redis';

const [mode, url, namespace] = process.argv.slice(2);
type CartLine = { code: string; name: string; price: number; quantity: number };
const COUNTER = sessionAttribute<number>('counter');
const CART = sessionAttribute<CartLine[]>('cart');
const cartOf = (n: number): CartLine[] =>
  Array.from({ length: n }, (_, i) => ({ code: `B-${1000 + i}`, name: `Book number ${i}`, price: 12.5 + i, quantity: 1 + (i % 3) }));

@Controller()
class OurSessionController {
  @Get('bench') // (a): read `counter`, write it back incremented: a changed session on every request
  rw(@Session() s: HttpSession) {
    const counter = (s.read(COUNTER) ?? 0) + 1;
    s.write(COUNTER, counter);
    return { counter };
  }

  @Get('bench/read') // (a2): read only: nothing to save, expiry refreshed at most once per touch interval
  read(@Session() s: HttpSession) {
    return { counter: s.read(COUNTER) ?? 0 };
  }

  @Get('bench/plain') // (b2): a route without @Session() in an app with SessionModule (its global interceptor)
  plain() {
    return { counter: 1 };
  }

  @Get('bench/cart') // cart-size series: read the cart, change one line, write it back (a save every time)
  cart(@Session() s: HttpSession) {
    const [first, ...rest] = s.read(CART) ?? [];
    const cart = first ? [{ ...first, quantity: (first.quantity % 9) + 1 }, ...rest] : [];
    s.write(CART, cart);
    return { lines: cart.length };
  }

  @Get('seed/:lines') // creates a session (Set-Cookie) holding a cart of N lines
  seed(@Session() s: HttpSession, @Param('lines') lines: string) {
    s.write(COUNTER, 0);
    if (Number(lines) > 0) s.write(CART, cartOf(Number(lines)));
    return { ok: true };
  }
}

@Controller()
class PlainController {
  @Get('bench') // (b): the same route shape without any session
  plain() {
    return { counter: 1 };
  }
}

type WithCounter = { session: { counter?: number } };
const bump = (req: WithCounter) => ({ counter: (req.session.counter = (req.session.counter ?? 0) + 1) });

@Controller()
class ExpressSessionController {
  @Get('bench') // (c): express-session middleware underneath the same Nest route
  rw(@Req() req: WithCounter) {
    return bump(req);
  }
}

/** express-session + connect-redis v9 on the node-redis client, as connect-redis's README sets it up. */
async function expressSession() {
  const client = createClient({ url });
  await client.connect();
  const store = new RedisStore({ client, prefix: `${namespace}:sess:` });
  return session({ store, secret: 'bench-secret', resave: false, saveUninitialized: false });
}

async function listen(): Promise<{ port: number; close: () => Promise<unknown> }> {
  if (mode === 'express') { // (d): no Nest at all
    const app = express().use(await expressSession());
    app.get('/bench', (req, res) => void res.json(bump(req as unknown as WithCounter)));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    return { port: (server.address() as { port: number }).port, close: () => new Promise((r) => server.close(r)) };
  }
  const settings = { namespace, durableReplicas: 0, durableTimeoutMs: 500, keyspaceNotifications: 'off' as const, commandTimeoutMs: 1000, connectTimeoutMs: 2000 };
  // BENCH_AUTOPIPELINING=0: the same store on a client without ioredis auto-pipelining, to measure what it brings.
  const store = process.env.BENCH_AUTOPIPELINING === '0'
    ? new RedisSessionStore(new Redis(url, { commandTimeout: 1000, maxRetriesPerRequest: 1, enableOfflineQueue: false, enableAutoPipelining: false }), settings, 'redis')
    : createRedisSessionStore({ mode: 'standalone', url }, settings);
  const ours = SessionModule.forRoot({ store, cookieName: 'BOOKSTORE_SESSION' });
  const controller = { 'nest-session': OurSessionController, 'nest-plain': PlainController, 'nest-express-session': ExpressSessionController }[mode];
  if (!controller) throw new Error(`unknown mode ${mode}`);
  @Module({ imports: mode === 'nest-session' ? [ours] : [], controllers: [controller] })
  class BenchModule {}
  const app = await NestFactory.create(BenchModule, { logger: false });
  if (mode === 'nest-express-session') app.use(await expressSession());
  await app.listen(0, '127.0.0.1');
  return { port: (app.getHttpServer().address() as { port: number }).port, close: () => app.close() };
}

/**
 * BENCH_CPU_PROFILE=<file>: a CPU profile from SIGUSR2 (sent after the warm-up) to SIGTERM. Same
 * data as `node --cpu-prof`, minus the start-up and the JIT's warm-up that would swamp a 5 s run.
 */
function profiler(): () => Promise<void> {
  const file = process.env.BENCH_CPU_PROFILE;
  if (!file) return async () => undefined;
  const inspector = new Inspector();
  let started: Promise<unknown> | undefined;
  process.once('SIGUSR2', () => {
    inspector.connect();
    started = inspector.post('Profiler.enable').then(() => inspector.post('Profiler.start'));
  });
  return async () => {
    if (!started) return;
    await started;
    writeFileSync(file, JSON.stringify((await inspector.post('Profiler.stop')).profile));
  };
}

listen().then(async ({ port, close }) => {
  const stopProfiler = profiler();
  process.once('SIGTERM', () => void stopProfiler().then(close).finally(() => process.exit(0)));
  console.log(`LISTENING ${port}`);
}, (err) => (console.error(err), process.exit(1)));
