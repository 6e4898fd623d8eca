import { AppProcess, appEnvOn, startAppProcess } from '../support/app-process';
import { createTestDatabase, TestDatabase } from '../support/database';
import { pollUntil } from '../support/ports';

/** The line pino-http writes when a request ends (with the request itself at trace). */
interface RequestLine {
  method?: string;
  route?: string;
  status?: number;
  req?: { headers?: Record<string, string> };
}

/** A complete JSON log line; the last one may still be arriving. */
function jsonLine(text: string): RequestLine[] {
  try {
    return [JSON.parse(text) as RequestLine];
  } catch {
    return [];
  }
}

/** Passwords and session ids never reach the log, even at the most verbose level. */
describe('logs keep secrets out', () => {
  let db: TestDatabase;
  let app: AppProcess;

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await startAppProcess({
      ...appEnvOn(db),
      LOG_LEVEL: 'trace',
    });
  });

  afterAll(async () => {
    await app?.stop();
    await db?.drop();
  });

  const post = (path: string, body: unknown, cookie?: string) =>
    fetch(`${app.url}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...(cookie ? { Cookie: cookie } : {}) },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(5_000),
    });

  it('logs requests without passwords or session ids', async () => {
    const wrong = await post('/api/auth/login', { username: 'alice', password: 'Wrong-Pa55word!' });
    expect(wrong.status).toBe(401);
    const login = await post('/api/auth/login', { username: 'alice', password: 'alice-secret-1' });
    expect(login.status).toBe(200);
    const id = /BOOKSTORE_SESSION=([\w-]{43})/.exec(login.headers.get('set-cookie') ?? '')![1];
    const cookie = `BOOKSTORE_SESSION=${id}`;
    const me = await fetch(`${app.url}/api/auth/me`, { headers: { Cookie: cookie } });
    expect(me.status).toBe(200);
    expect((await post('/api/auth/logout', {}, cookie)).status).toBe(204);

    // The app's stdout reaches this process a little after the responses do: every request's
    // closing line must be in before the absence of anything means something.
    const expected = [
      'POST /api/auth/login 401',
      'POST /api/auth/login 200',
      'GET /api/auth/me 200',
      'POST /api/auth/logout 204',
    ];
    const requestLines = () =>
      app
        .output()
        .split('\n')
        .flatMap((l) => jsonLine(l))
        .filter((l) => l.route !== undefined && l.status !== undefined);
    const seen = () => requestLines().map((l) => `${l.method} ${l.route} ${l.status}`);
    await pollUntil(
      'a log line for every request',
      () => Promise.resolve(expected.every((e) => seen().includes(e))),
      { timeoutMs: 30_000 },
    );
    const log = app.output();
    const meLine = requestLines().find((l) => l.route === '/api/auth/me')!;
    expect(meLine.req?.headers?.cookie).toBe('[redacted]');
    expect(log).not.toContain('alice-secret-1');
    expect(log).not.toContain('Wrong-Pa55word!');
    expect(log).not.toContain(id);
  });
});
