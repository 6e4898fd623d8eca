import { apiUrl, Cart } from './api';
import { cart, loadCart, loadUser, loggedOut, user } from './shop';

/** The server's application close codes (src/modules/cart/live/live-cart.protocol.ts). */
const RECONNECT = 4001;
const SESSION_ENDED = 4401;
const MAX_BACKOFF_MS = 30_000;
/** A tab in use tells the server so (it keeps the session alive); an idle tab stays silent. */
const TOUCH_EVERY_MS = 60_000;

type Message = { type: 'hello'; instance: string } | { type: 'cart'; cart: Cart };

let socket: WebSocket | undefined;
let backoffMs = 1_000;
let retry: ReturnType<typeof setTimeout> | undefined;
let lastTouch = 0;

function liveUrl(): string {
  const url = new URL(apiUrl('/api/cart/live'), location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.href;
}

function connect(): void {
  clearTimeout(retry);
  const ws = new WebSocket(liveUrl());
  socket = ws;
  ws.onopen = () => (backoffMs = 1_000);
  ws.onmessage = (event) => {
    const message = JSON.parse(String(event.data)) as Message;
    // Which instance holds the socket: the browser tests read it.
    if (message.type === 'hello') document.body.dataset.liveInstance = message.instance;
    if (message.type === 'cart') cart.set(message.cart);
  };
  ws.onclose = (event) => {
    if (socket !== ws) return;
    socket = undefined;
    delete document.body.dataset.liveInstance;
    if (event.code === RECONNECT) return connect();
    if (event.code === SESSION_ENDED) {
      if (user.value) loggedOut();
      else void loadCart().catch(() => undefined);
      void loadUser().catch(() => undefined);
    }
    if (socket) return; // the cart change above reconnected already
    // No session yet (refused upgrade), a restart, the network: try again, ever more slowly.
    retry = setTimeout(connect, backoffMs * (0.5 + Math.random()));
    backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
  };
}

/** Opens the live cart socket and keeps it open; a cart change made here reconnects at once. */
export function startLiveCart(): void {
  connect();
  // A change made in this tab may have just created the session the socket lacked.
  cart.subscribe(() => {
    if (!socket) {
      backoffMs = 1_000;
      connect();
    }
  });
  const used = () => {
    if (socket?.readyState !== WebSocket.OPEN || Date.now() - lastTouch < TOUCH_EVERY_MS) return;
    lastTouch = Date.now();
    socket.send('{"type":"touch"}');
  };
  document.addEventListener('click', used);
  document.addEventListener('keydown', used);
}
