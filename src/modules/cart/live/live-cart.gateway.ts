import { Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import {
  OnGatewayConnection,
  OnGatewayDisconnect,
  OnGatewayInit,
  WebSocketGateway,
} from '@nestjs/websockets';
import type { IncomingMessage } from 'node:http';
import { hostname } from 'node:os';
import type { WebSocket, WebSocketServer } from 'ws';
import { Env } from '../../../config/env';
import { corsOrigins } from '../../../platform/http/configure-http';
import { checkCrossOrigin, CrossOriginPolicy } from '../../../platform/http/cross-origin';
import { ShutdownState } from '../../../platform/observability/shutdown-state';
import { LiveSession, LiveSessionEvent, LiveSessions } from '../../../session';
import { Cart } from '../domain/cart';
import { CART } from '../application/cart.attribute';
import { LIVE_CLOSE, sessionIdFromCookie } from './live-cart.protocol';

/** Frames a browser sends us are tiny (a touch); anything larger is closed with 1009. */
const MAX_PAYLOAD_BYTES = 1_024;
/** Below nginx's proxy_read_timeout (75 s) so an idle socket is never cut by the proxy. */
const PING_INTERVAL_MS = 25_000;
/** Client messages: a session load at most this often per socket (the store's touch is rarer). */
const TOUCH_EVERY_MS = 5_000;
/** setTimeout's range ends at ~24.8 days; re-check long-lived (remember-me) sessions hourly. */
const MAX_RECHECK_MS = 3_600_000;
/** Sent with the hello: tests and operators see which instance holds a socket. */
const INSTANCE = `${hostname()}:${process.pid}`;

interface Client {
  socket: WebSocket;
  id: string;
  ref: string;
  alive: boolean;
  lastTouch: number;
  recheck?: NodeJS.Timeout;
}

type Verify = (
  info: { origin: string; req: IncomingMessage },
  done: (ok: boolean, status?: number, message?: string) => void,
) => void;

/**
 * The live cart: every socket of a session hears its cart whenever any instance changes it
 * (LiveSessions' cross-instance events), and closes when the session ends. Plain WebSocket
 * (ws): browsers speak it natively, the upgrade is checked before it is accepted.
 */
@WebSocketGateway({ path: '/api/cart/live', maxPayload: MAX_PAYLOAD_BYTES })
export class LiveCartGateway implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect {
  private readonly logger = new Logger('LiveCart');
  private readonly byRef = new Map<string, Set<Client>>();
  private readonly clients = new Map<WebSocket, Client>();
  /** The session loaded while verifying the upgrade, for the connection that follows. */
  private readonly verified = new WeakMap<IncomingMessage, { id: string; session: LiveSession }>();
  private readonly policy: CrossOriginPolicy;
  private readonly maxSockets: number;
  private readonly maxPerSession: number;
  private readonly cookieName: string;
  private pinger?: NodeJS.Timeout;

  constructor(
    config: ConfigService<Env, true>,
    private readonly live: LiveSessions,
    private readonly shutdown: ShutdownState,
  ) {
    this.policy = {
      trustedOrigins: new Set(corsOrigins(config.get('CORS_ORIGINS', { infer: true }))),
      sessionIdIn: config.get('SESSION_ID_RESOLVER', { infer: true }),
    };
    this.maxSockets = config.get('LIVE_CART_MAX_SOCKETS', { infer: true });
    this.maxPerSession = config.get('LIVE_CART_MAX_SOCKETS_PER_SESSION', { infer: true });
    this.cookieName = config.get('SESSION_COOKIE_NAME', { infer: true });
  }

  afterInit(server: WebSocketServer): void {
    // ws consults verifyClient on each upgrade: refused ones get a plain HTTP status, no socket.
    (server.options as { verifyClient?: Verify }).verifyClient = (info, done) =>
      void this.verify(info.req).then(
        (refusal) => (refusal ? done(false, refusal[0], refusal[1]) : done(true)),
        () => done(false, 503, 'Session store unavailable'),
      );
    this.live.on((event) => this.onSessionEvent(event));
    this.shutdown.whenDraining(() => this.closeAll(1001, 'Server shutting down'));
    this.pinger = setInterval(() => this.ping(), PING_INTERVAL_MS);
    this.pinger.unref();
  }

  handleConnection(socket: WebSocket, req: IncomingMessage): void {
    const verified = this.verified.get(req);
    if (!verified) return socket.close(LIVE_CLOSE.sessionEnded, 'No session');
    // Upgrades of one session verified concurrently may pass the bound together: re-checked here.
    if ((this.byRef.get(verified.session.ref)?.size ?? 0) >= this.maxPerSession) {
      return socket.close(LIVE_CLOSE.tooMany, 'Too many live sockets for this session');
    }
    const client: Client = {
      socket,
      id: verified.id,
      ref: verified.session.ref,
      alive: true,
      lastTouch: Date.now(),
    };
    this.track(client);
    socket.on('pong', () => (client.alive = true));
    socket.on('message', () => void this.touch(client));
    this.send(client, { type: 'hello', instance: INSTANCE });
    this.push(client, verified.session);
  }

  handleDisconnect(socket: WebSocket): void {
    const client = this.clients.get(socket);
    if (client) this.untrack(client);
  }

  /** Undefined: accept; otherwise the HTTP status and reason of the refusal. */
  private async verify(req: IncomingMessage): Promise<[number, string] | undefined> {
    if (this.shutdown.draining) return [503, 'Shutting down'];
    const verdict = checkCrossOrigin(
      {
        method: req.method ?? 'GET',
        host: req.headers.host,
        origin: req.headers.origin,
        secFetchSite: header(req, 'sec-fetch-site'),
        upgrade: true,
      },
      this.policy,
    );
    if (!verdict.allowed) {
      this.logger.log(`Live cart upgrade refused (${verdict.reason})`);
      return [403, `Cross-origin request refused: ${verdict.reason}`];
    }
    if (this.clients.size >= this.maxSockets) return [503, 'Too many live sockets'];
    const id = sessionIdFromCookie(req.headers.cookie, this.cookieName);
    const session = id ? await this.live.load(id) : null;
    if (!id || !session) return [401, 'No session'];
    if ((this.byRef.get(session.ref)?.size ?? 0) >= this.maxPerSession) {
      return [429, 'Too many live sockets for this session'];
    }
    this.verified.set(req, { id, session });
    return undefined;
  }

  private onSessionEvent(event: LiveSessionEvent): void {
    const clients = this.byRef.get(event.session);
    if (!clients) return;
    if (event.type === 'changed') {
      // One load for all the session's sockets here (they share the id).
      if (event.attributes.includes(CART.name)) void this.reload([...clients]);
      return;
    }
    for (const client of [...clients]) {
      if (event.type === 'rotated') {
        // The browser already holds the new id's cookie; the id itself never travels here.
        client.socket.close(LIVE_CLOSE.reconnect, 'Session id rotated');
      } else {
        client.socket.close(LIVE_CLOSE.sessionEnded, `Session ended (${event.reason})`);
      }
    }
  }

  /** The cart as stored now, to sockets of one session; a session that is gone closes them. */
  private async reload(clients: Client[]): Promise<void> {
    try {
      const session = await this.live.load(clients[0].id);
      for (const client of clients) {
        if (session) this.push(client, session);
        else client.socket.close(LIVE_CLOSE.sessionEnded, 'Session ended');
      }
    } catch {
      // Store down: the next change, or the expiry re-check, tries again.
    }
  }

  /** A client message keeps the session alive, as a request would (bounded per socket). */
  private async touch(client: Client): Promise<void> {
    const now = Date.now();
    if (now - client.lastTouch < TOUCH_EVERY_MS) return;
    client.lastTouch = now;
    try {
      const session = await this.live.touch(client.id);
      if (session) this.scheduleRecheck(client, session.expiresAt);
      else client.socket.close(LIVE_CLOSE.sessionEnded, 'Session ended');
    } catch {
      // Store down: the expiry re-check decides.
    }
  }

  private push(client: Client, session: LiveSession): void {
    this.send(client, { type: 'cart', cart: Cart.view(session.read(CART)) });
    this.scheduleRecheck(client, session.expiresAt);
  }

  /**
   * Expiry notifications are best effort: at the session's own expiry the socket looks again
   * (a load, not a touch: an idle tab does not keep its session alive).
   */
  private scheduleRecheck(client: Client, expiresAt: number): void {
    clearTimeout(client.recheck);
    const delay = Math.min(Math.max(expiresAt - Date.now(), 0) + 50, MAX_RECHECK_MS);
    client.recheck = setTimeout(() => void this.reload([client]), delay);
    client.recheck.unref();
  }

  private ping(): void {
    for (const client of this.clients.values()) {
      if (!client.alive) {
        client.socket.terminate();
        continue;
      }
      client.alive = false;
      client.socket.ping();
    }
  }

  private closeAll(code: number, reason: string): void {
    clearInterval(this.pinger);
    for (const client of this.clients.values()) client.socket.close(code, reason);
  }

  private send(client: Client, message: object): void {
    if (client.socket.readyState === client.socket.OPEN)
      client.socket.send(JSON.stringify(message));
  }

  private track(client: Client): void {
    this.clients.set(client.socket, client);
    const set = this.byRef.get(client.ref) ?? new Set<Client>();
    set.add(client);
    this.byRef.set(client.ref, set);
  }

  private untrack(client: Client): void {
    clearTimeout(client.recheck);
    this.clients.delete(client.socket);
    const set = this.byRef.get(client.ref);
    set?.delete(client);
    if (set?.size === 0) this.byRef.delete(client.ref);
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}
