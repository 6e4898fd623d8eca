import { useState } from 'preact/hooks';
import { link, navigate } from '../router';
import { logIn, user } from '../shop';
import { useStore } from '../store';
import { Alert, Page, useAction } from '../ui';

export function LoginPage({ next }: { next: string }) {
  const username = useStore(user);
  const [form, setForm] = useState({ username: '', password: '', rememberMe: false });
  const { busy, error, run } = useAction(async () => {
    await logIn(form.username, form.password, form.rememberMe);
    navigate(next.startsWith('#/') && !next.startsWith('#/login') ? next : link.catalog());
  });
  return (
    <Page title="Log in">
      {username && <p>You are signed in as {username}.</p>}
      <p class="muted">Your cart stays with you when you log in.</p>
      <form class="login" onSubmit={run}>
        <Alert error={error} />
        <div class="field">
          <label for="username">Username</label>
          <input
            id="username"
            autocomplete="username"
            required
            value={form.username}
            onInput={(e) => setForm({ ...form, username: e.currentTarget.value })}
          />
        </div>
        <div class="field">
          <label for="password">Password</label>
          <input
            id="password"
            type="password"
            autocomplete="current-password"
            required
            value={form.password}
            onInput={(e) => setForm({ ...form, password: e.currentTarget.value })}
          />
        </div>
        <div class="check">
          <input
            id="remember"
            type="checkbox"
            checked={form.rememberMe}
            onChange={(e) => setForm({ ...form, rememberMe: e.currentTarget.checked })}
          />
          <label for="remember">Keep me logged in on this device</label>
        </div>
        <button type="submit" disabled={busy}>
          Log in
        </button>
      </form>
    </Page>
  );
}
