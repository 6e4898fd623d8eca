import { api, ApiError } from '../api';
import { link } from '../router';
import { loggedOut, notice, user } from '../shop';
import { useLoad, useStore } from '../store';
import { ActionButton, Alert, formatDate, Loading, Page } from '../ui';

/** One of the user's sessions as GET /api/auth/sessions lists it (never its id: a handle). */
interface SessionInfo {
  handle: string;
  current: boolean;
  createdAt: string;
  lastSeenAt: string;
  /** At login. */
  userAgent: string;
  address: string;
}

export function SessionsPage() {
  const username = useStore(user);
  const { data, error, reload } = useLoad(
    () => (username ? api<SessionInfo[]>('GET', '/api/auth/sessions') : Promise.resolve([])),
    [username],
  );
  const end = async (session: SessionInfo) => {
    await api<void>('DELETE', `/api/auth/sessions/${encodeURIComponent(session.handle)}`);
    if (session.current) return loggedOut();
    notice.set('That session is ended.');
    reload();
  };
  return (
    <Page title="My sessions">
      {username === null ? (
        <p>
          <a href={link.login(link.sessions())}>Log in</a> to see where you are logged in.
        </p>
      ) : error instanceof ApiError && error.status === 404 ? (
        <p>This shop does not list sessions yet.</p>
      ) : error ? (
        <Alert error={error} />
      ) : !data ? (
        <Loading />
      ) : (
        <ul class="sessions">
          {data.map((s) => (
            <li key={s.handle}>
              <p>
                <strong>{s.current ? 'This device' : 'Another device'}</strong>, from {s.address}
              </p>
              <p class="muted">
                Logged in {formatDate(s.createdAt)}, last seen {formatDate(s.lastSeenAt)}.
              </p>
              <p class="muted agent">{s.userAgent}</p>
              <ActionButton class="secondary" onClick={() => end(s)}>
                {s.current ? 'Log out here' : 'End this session'}
              </ActionButton>
            </li>
          ))}
        </ul>
      )}
    </Page>
  );
}
