import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { coverUrl, errorText, Product } from './api';
import { link } from './router';
import { addToCart } from './shop';

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

/** A button for an action that calls the API: busy while it runs, its error shown beside it. */
export function ActionButton(props: {
  onClick: () => Promise<unknown>;
  children: ComponentChildren;
  class?: string;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = () => {
    setBusy(true);
    setError(null);
    props.onClick().then(
      () => setBusy(false),
      (e: unknown) => {
        setBusy(false);
        setError(e);
      },
    );
  };
  return (
    <>
      <button type="button" class={props.class} onClick={run} disabled={busy}>
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
