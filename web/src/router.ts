import { useEffect, useState } from 'preact/hooks';

/**
 * Routes live in the URL's fragment (`#/products/P100`): the server serves one page at `/`
 * and needs no fallback route that could shadow an API path.
 */
export type Route =
  | { name: 'catalog'; page: number }
  | { name: 'product'; code: string }
  | { name: 'cart' }
  | { name: 'checkout' }
  | { name: 'order'; orderNumber: string; placed: boolean }
  | { name: 'orders'; page: number }
  | { name: 'login'; next: string }
  | { name: 'sessions' }
  | { name: 'recent' }
  | { name: 'missing' };

export const link = {
  catalog: (page = 1) => (page > 1 ? `#/?page=${page}` : '#/'),
  product: (code: string) => `#/products/${encodeURIComponent(code)}`,
  cart: () => '#/cart',
  checkout: () => '#/checkout',
  order: (orderNumber: string, placed = false) =>
    `#/orders/${encodeURIComponent(orderNumber)}${placed ? '?placed' : ''}`,
  orders: (page = 1) => (page > 1 ? `#/orders?page=${page}` : '#/orders'),
  login: (next = '') => (next ? `#/login?next=${encodeURIComponent(next)}` : '#/login'),
  sessions: () => '#/sessions',
  recent: () => '#/recent',
};

export function parse(hash: string): Route {
  const [path, search = ''] = hash.replace(/^#/, '').split('?');
  const query = new URLSearchParams(search);
  const page = Math.max(1, Number.parseInt(query.get('page') ?? '1', 10) || 1);
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  switch (`/${parts[0] ?? ''}${parts.length > 1 ? '/:id' : ''}`) {
    case '/':
      return { name: 'catalog', page };
    case '/products/:id':
      return { name: 'product', code: parts[1] };
    case '/cart':
      return { name: 'cart' };
    case '/checkout':
      return { name: 'checkout' };
    case '/orders':
      return { name: 'orders', page };
    case '/orders/:id':
      return { name: 'order', orderNumber: parts[1], placed: query.has('placed') };
    case '/login':
      return { name: 'login', next: query.get('next') ?? '' };
    case '/sessions':
      return { name: 'sessions' };
    case '/recent':
      return { name: 'recent' };
    default:
      return { name: 'missing' };
  }
}

export function useHash(): string {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const changed = () => setHash(location.hash);
    addEventListener('hashchange', changed);
    return () => removeEventListener('hashchange', changed);
  }, []);
  return hash;
}

export function navigate(to: string): void {
  location.hash = to;
}
