import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { Cart, coverUrl, errorText, Product } from './api';
import { link } from './router';
import { addToCart, cart, CART_NOT_LOADED } from './shop';
import { useStore } from './store';

const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
export const formatMoney = (amount: number): string => money.format(amount);
export const formatDate = (iso: string): string =>
  new Date(iso).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' });

/** A page: its heading gets the focus when the page opens, so keyboard and screen-reader users start there. */
export function Page({ title, children }: { title: string; children: ComponentChildren }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · Bookstore`;
  }, [title]);
  useEffect(() => heading.current?.focus({ preventScroll: true }), []);
  return (
    <>
      <h1 tabIndex={-1} ref={heading}>
        {title}
      </h1>
      {children}
    </>
  );
}

export function Alert({ error }: { error: unknown }) {
  return error ? (
    <p role="alert" class="alert">
      {errorText(error)}
    </p>
  ) : null;
}

export const Loading = () => <p class="muted">Loading…</p>;

export function Cover({ code, size }: { code: string; size: 'small' | 'large' }) {
  return <img class={`cover ${size}`} src={coverUrl(code)} alt="" />;
}

/** An action that calls the API: busy while it runs, then its error (if any) to show. */
export function useAction(action: () => Promise<unknown>) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = (event?: Event) => {
    event?.preventDefault();
    setBusy(true);
    setError(null);
    action().then(
      () => setBusy(false),
      (e: unknown) => {
        setBusy(false);
        setError(e);
      },
    );
  };
  return { busy, error, run };
}

/** A button for an action that calls the API, its error shown beside it. */
export function ActionButton(props: {
  onClick: () => Promise<unknown>;
  children: ComponentChildren;
  class?: string;
}) {
  const { busy, error, run } = useAction(props.onClick);
  return (
    <>
      <button type="button" class={props.class} onClick={() => run()} disabled={busy}>
        {props.children}
      </button>
      <Alert error={error} />
    </>
  );
}

export function ProductList({ products }: { products: Product[] }) {
  return (
    <ul class="products">
      {products.map((p) => (
        <li key={p.code}>
          <article class="card">
            <Cover code={p.code} size="small" />
            <h2>
              <a href={link.product(p.code)}>{p.name}</a>
            </h2>
            <p class="price">{formatMoney(p.price)}</p>
            <ActionButton onClick={() => addToCart(p.code, p.name)}>
              Add<span class="sr-only"> {p.name}</span> to cart
            </ActionButton>
          </article>
        </li>
      ))}
    </ul>
  );
}

export function Pager(props: { page: number; totalPages: number; href: (page: number) => string }) {
  const { page, totalPages, href } = props;
  if (totalPages <= 1) return null;
  return (
    <nav class="pager" aria-label="Pages">
      {page > 1 ? <a href={href(page - 1)}>← Previous page</a> : <span />}
      <span>
        Page {page} of {totalPages}
      </span>
      {page < totalPages ? <a href={href(page + 1)}>Next page →</a> : <span />}
    </nav>
  );
}

/** Its children once the cart is known and not empty; otherwise a way back to the catalog. */
export function WithCart({ children }: { children: (cart: Cart) => ComponentChildren }) {
  const current = useStore(cart);
  if (current === CART_NOT_LOADED) return <Loading />;
  if (current.items.length > 0) return <>{children(current)}</>;
  return (
    <p>
      Your cart is empty. <a href={link.catalog()}>Browse the catalog</a>.
    </p>
  );
}

/** A table's caption (for screen readers) and column headings; `actions` adds one for buttons. */
export function TableHead(props: { caption: string; columns: string[]; actions?: boolean }) {
  return (
    <>
      <caption class="sr-only">{props.caption}</caption>
      <thead>
        <tr>
          {props.columns.map((column) => (
            <th scope="col" key={column}>
              {column}
            </th>
          ))}
          {props.actions && (
            <th scope="col">
              <span class="sr-only">Actions</span>
            </th>
          )}
        </tr>
      </thead>
    </>
  );
}
