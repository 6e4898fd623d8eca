import type { ComponentChildren } from 'preact';
import { link } from './router';
import { cart, logOut, notice, user } from './shop';
import { useStore } from './store';
import { ActionButton } from './ui';

export function Layout({ children }: { children: ComponentChildren }) {
  const items = useStore(cart).itemCount;
  const username = useStore(user);
  const status = useStore(notice);
  const skip = (event: Event) => {
    // A plain "#main" link would change the route.
    event.preventDefault();
    document.querySelector<HTMLElement>('main h1')?.focus();
  };
  return (
    <>
      <a class="skip" href="#main" onClick={skip}>
        Skip to content
      </a>
      <header class="top">
        <a class="brand" href={link.catalog()}>
          Bookstore
        </a>
        <nav aria-label="Main">
          <a href={link.catalog()}>Catalog</a>
          <a href={link.recent()}>Recently viewed</a>
          <a href={link.orders()}>Orders</a>
          <a href={link.cart()} data-testid="cart-link">
            Cart <span class="badge">{items}</span>
            <span class="sr-only"> items</span>
          </a>
        </nav>
        <div class="account">
          {username ? (
            <>
              <span>
                Signed in as <strong data-testid="username">{username}</strong>
              </span>
              <a href={link.sessions()}>My sessions</a>
              <ActionButton class="link" onClick={logOut}>
                Log out
              </ActionButton>
            </>
          ) : username === null ? (
            <a href={link.login(location.hash)}>Log in</a>
          ) : null}
        </div>
      </header>
      <main id="main">{children}</main>
      <p role="status" class="sr-only">
        {status}
      </p>
    </>
  );
}
