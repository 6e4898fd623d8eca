import type { RequestRecord, Route, VirtualUser } from './load-types';
import type { RunState } from './run-state';

export const SESSION_COOKIE = 'BOOKSTORE_SESSION';

export interface Reply {
  status: number;
  body: unknown;
}

export const isOk = (status: number) => status >= 200 && status < 300;

/**
 * A virtual user's HTTP: sends with the user's session cookie, records every request, and
 * flags a session id that changes (the flow never logs in, so it must be set once).
 */
export class RecordingClient {
  constructor(
    private readonly baseUrl: string,
    private readonly state: RunState,
  ) {}

  async send(
    user: VirtualUser,
    route: Route,
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Reply> {
    const start = this.state.now();
    const record: RequestRecord = { vu: user.id, route, start, end: start, status: 0 };
    const reply = await this.fetch(user, method, path, body, headers).catch((e: unknown) => {
      record.error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
      return { status: 0, body: undefined };
    });
    record.status = reply.status;
    record.end = this.state.now();
    this.state.records.push(record);
    return reply;
  }

  private async fetch(
    user: VirtualUser,
    method: string,
    path: string,
    body: unknown,
    headers: Record<string, string>,
  ): Promise<Reply> {
    const res = await fetch(this.baseUrl + path, {
      method,
      headers: {
        ...headers,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...(user.sessionId ? { Cookie: `${SESSION_COOKIE}=${user.sessionId}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(this.state.timeoutMs),
    });
    const text = await res.text();
    this.adoptCookie(user, res);
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = text;
    }
    return { status: res.status, body: parsed };
  }

  private adoptCookie(user: VirtualUser, res: Response): void {
    for (const header of res.headers.getSetCookie()) {
      const match = new RegExp(`^${SESSION_COOKIE}=([^;]*)`).exec(header);
      if (!match) continue;
      if (user.sessionId !== undefined && match[1] !== user.sessionId) {
        this.state.anomalies.push(
          `vu ${user.id}: session id changed from ${user.sessionId.slice(0, 8)}… to '${match[1].slice(0, 8)}…' (session lost)`,
        );
      }
      if (match[1]) user.sessionId = match[1];
    }
  }
}
