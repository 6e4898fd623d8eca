import { api, ApiError, Cart, Order } from './api';
import { Store } from './store';

const EMPTY_CART: Cart = { items: [], totalAmount: 0, itemCount: 0 };
/** Shown as empty until the first answer; pages that list the cart wait for it. */
export const CART_NOT_LOADED: Cart = { ...EMPTY_CART };

export const cart = new Store<Cart>(CART_NOT_LOADED);
/** The logged-in username; null when anonymous, undefined until known. */
export const user = new Store<string | null | undefined>(undefined);
/** The last thing that happened, read out by screen readers. */
export const notice = new Store<string>('');

export async function loadCart(): Promise<void> {
  cart.set(await api<Cart>('GET', '/api/cart'));
}

export async function loadUser(): Promise<void> {
  try {
    user.set((await api<{ username: string }>('GET', '/api/auth/me')).username);
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 401) throw error;
    user.set(null);
  }
}

export async function addToCart(code: string, name: string, quantity = 1): Promise<void> {
  cart.set(await api<Cart>('POST', '/api/cart/items', { code, quantity }));
  notice.set(`Added ${quantity} × ${name} to your cart.`);
}

export async function setQuantity(code: string, quantity: number): Promise<void> {
  cart.set(await api<Cart>('PUT', `/api/cart/items/${encodeURIComponent(code)}`, { quantity }));
  notice.set('Cart updated.');
}

export async function removeLine(code: string, name: string): Promise<void> {
  cart.set(await api<Cart>('DELETE', `/api/cart/items/${encodeURIComponent(code)}`));
  notice.set(`Removed ${name} from your cart.`);
}

export async function clearCart(): Promise<void> {
  await api<void>('DELETE', '/api/cart');
  cart.set(EMPTY_CART);
  notice.set('Your cart is empty now.');
}

export async function logIn(username: string, password: string, rememberMe: boolean) {
  const me = await api<{ username: string }>('POST', '/api/auth/login', {
    username,
    password,
    rememberMe,
  });
  user.set(me.username);
  notice.set(`Logged in as ${me.username}.`);
  await loadCart();
}

/** After a logout here or the end of this session elsewhere: nothing of it is shown any more. */
export function loggedOut(): void {
  user.set(null);
  cart.set(EMPTY_CART);
  notice.set('You are logged out.');
}

export async function logOut(): Promise<void> {
  await api<void>('POST', '/api/auth/logout');
  loggedOut();
}

/** Orders the owner may still cancel: fulfilment may have started, nothing is shipped. */
export const cancellable = (status: string): boolean => status === 'NEW' || status === 'IN_PROCESS';

export async function cancelOrder(orderNumber: string): Promise<Order> {
  try {
    const order = await api<Order>('POST', `/api/orders/${encodeURIComponent(orderNumber)}/cancel`);
    notice.set(`Order ${orderNumber} is cancelled.`);
    return order;
  } catch (error) {
    // Nest's answer for a route it does not have: a server without cancellation.
    if (error instanceof ApiError && error.status === 404 && error.message.startsWith('Cannot ')) {
      throw new ApiError(404, 'This shop cannot cancel orders online yet.');
    }
    throw error;
  }
}
