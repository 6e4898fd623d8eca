import { AddressInfo, createServer, Server, Socket } from 'node:net';

const DEFAULT_PORTS: Record<string, number> = {
  'postgres:': 5432,
  'postgresql:': 5432,
  'redis:': 6379,
  'amqp:': 5672,
};

/**
 * A loopback TCP relay in front of a real server: closing it makes that server
 * unreachable to the app (as if it went down) without touching the shared service;
 * `blackhole()` keeps accepting connections but forwards nothing either way (a server
 * that hangs, or a network that drops packets).
 */
export class TcpProxy {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private readonly pairs = new Set<[Socket, Socket]>();
  private holding = false;
  port = 0;

  get listening(): boolean {
    return this.server !== undefined;
  }

  private readonly targetHost: string;
  private readonly targetPort: number;

  /** In front of the server that `target` (a postgres://, redis:// or amqp:// URL) names. */
  constructor(private readonly target: string) {
    const u = new URL(target);
    this.targetHost = u.hostname;
    this.targetPort = Number(u.port || DEFAULT_PORTS[u.protocol]);
  }

  /** `target`, reached through this proxy (once started). */
  get url(): string {
    const u = new URL(this.target);
    u.host = `127.0.0.1:${this.port}`;
    return u.toString();
  }

  async start(): Promise<number> {
    this.server = createServer((client) => {
      if (this.holding) return this.hold(client);
      const upstream = new Socket();
      upstream.connect(this.targetPort, this.targetHost);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => s.destroy());
      }
      client.pipe(upstream).pipe(client);
      const pair: [Socket, Socket] = [client, upstream];
      this.pairs.add(pair);
      client.on('close', () => (upstream.destroy(), this.pairs.delete(pair)));
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this.port;
  }

  /** From now on nothing passes, on open connections and new ones, which are still accepted. */
  blackhole(): void {
    this.holding = true;
    for (const [client, upstream] of this.pairs) {
      client.unpipe(upstream);
      upstream.unpipe(client);
      for (const s of [client, upstream]) s.on('data', () => {});
    }
  }

  private hold(client: Socket): void {
    this.sockets.add(client);
    client.on('close', () => this.sockets.delete(client));
    client.on('error', () => client.destroy());
    client.on('data', () => {});
  }

  async stop(): Promise<void> {
    this.holding = false;
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
    this.server = undefined;
  }
}
