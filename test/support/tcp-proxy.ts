import { AddressInfo, createServer, Server, Socket } from 'node:net';

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

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

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

/** A started proxy in front of the server at `url`, and the URL that goes through it. */
export async function proxyServer(
  url: string,
  defaultPort: number,
): Promise<{ proxy: TcpProxy; url: string }> {
  const target = new URL(url);
  const proxy = new TcpProxy(target.hostname, Number(target.port || defaultPort));
  await proxy.start();
  target.host = `127.0.0.1:${proxy.port}`;
  return { proxy, url: target.toString() };
}

/** A started proxy in front of the database at `url`, and the URL that goes through it. */
export const proxyDatabase = (url: string) => proxyServer(url, 5432);
