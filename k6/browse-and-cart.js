// A realistic mix: mostly browsing, some cart edits, a few orders and logins.
//   k6 run -e BASE_URL=http://localhost k6/browse-and-cart.js
import http from 'k6/http';
import { check, group, sleep } from 'k6';
import { randomBytes } from 'k6/crypto';
import { Counter } from 'k6/metrics';

const BASE_URL = __ENV.BASE_URL || 'http://localhost';
const JSON_HEADERS = { 'Content-Type': 'application/json' };
// k6 v0.48's compiler takes ES2015-style code: no object spread, no global crypto.
const newKey = () =>
  Array.prototype.map
    .call(new Uint8Array(randomBytes(16)), (b) => (b < 16 ? '0' : '') + b.toString(16))
    .join('');
// What the server confirmed: `npm run test:load` compares these with PostgreSQL afterwards.
const ordersCreated = new Counter('orders_created');
const unitsOrdered = new Counter('units_ordered');
const USERS = [
  { username: 'alice', password: 'alice-secret-1' },
  { username: 'bob', password: 'bob-secret-2' },
  { username: 'carol', password: 'carol-secret-3' },
];

export const options = {
  scenarios: {
    shoppers: {
      executor: 'ramping-vus',
      startVUs: 0,
      stages: [
        { duration: __ENV.RAMP || '20s', target: Number(__ENV.VUS || 30) },
        { duration: __ENV.DURATION || '60s', target: Number(__ENV.VUS || 30) },
        { duration: '10s', target: 0 },
      ],
    },
  },
  // Latency per kind is reported, not judged (a shared machine's says little), except that
  // a p95 above 2 s fails the run.
  summaryTrendStats: ['avg', 'med', 'p(95)', 'p(99)', 'max'],
  thresholds: {
    http_req_failed: ['rate<0.01'],
    checks: ['rate>0.99'],
    'http_req_duration{kind:browse}': ['p(95)<2000'],
    'http_req_duration{kind:cart}': ['p(95)<2000'],
    'http_req_duration{kind:order}': ['p(95)<2000'],
  },
};

const code = () => `P${100 + Math.floor(Math.random() * 15)}`;
const json = (body) => JSON.stringify(body);
/** code → quantity of a cart's or an order's lines, in a form two of them compare by. */
const linesOf = (items) =>
  items
    .map((i) => `${i.code}×${i.quantity}`)
    .sort()
    .join(',');
const units = (items) => items.reduce((sum, i) => sum + i.quantity, 0);
const isProduct = (p, code) => p.code === code && typeof p.name === 'string' && p.price > 0;

// k6 starts every iteration with an empty cookie jar: each one is a new visitor.
function browse() {
  const page = 1 + Math.floor(Math.random() * 2);
  const list = http.get(`${BASE_URL}/api/products?page=${page}`, { tags: { kind: 'browse' } });
  check(list, {
    'catalog page (200)': (r) => r.status === 200,
    'catalog page lists products': (r) =>
      r.status === 200 &&
      r.json('pageNumber') === page &&
      r.json('data').length > 0 &&
      r.json('data').every((p) => isProduct(p, p.code)),
  });
  for (let i = 0; i < 3; i++) {
    const wanted = code();
    const product = http.get(`${BASE_URL}/api/products/${wanted}`, { tags: { kind: 'browse' } });
    check(product, {
      'product (200)': (r) => r.status === 200,
      'product is the one asked for': (r) => r.status === 200 && isProduct(r.json(), wanted),
    });
  }
  // Viewing starts no session, so a new visitor has seen nothing yet.
  const recent = http.get(`${BASE_URL}/api/products/recently-viewed`, { tags: { kind: 'browse' } });
  check(recent, {
    'recently viewed (200), empty without a session': (r) =>
      r.status === 200 && r.json().length === 0,
  });
}

/** Returns the cart's lines as the server read them back, or undefined. */
function editCart() {
  const first = code();
  const add = http.post(`${BASE_URL}/api/cart/items`, json({ code: first, quantity: 1 }), {
    headers: JSON_HEADERS,
    tags: { kind: 'cart' },
  });
  check(add, { 'add to cart (201)': (r) => r.status === 201 });
  const set = http.put(`${BASE_URL}/api/cart/items/${first}`, json({ quantity: 2 }), {
    headers: JSON_HEADERS,
    tags: { kind: 'cart' },
  });
  check(set, { 'set quantity (200)': (r) => r.status === 200 });
  const cart = http.get(`${BASE_URL}/api/cart`, { tags: { kind: 'cart' } });
  const items = cart.status === 200 ? cart.json('items') : undefined;
  check(cart, {
    'cart (200)': (r) => r.status === 200,
    'cart holds what was set, and only that': () =>
      !!items && linesOf(items) === `${first}×2` && cart.json('itemCount') === 2,
    'cart total is the sum of its lines': () =>
      !!items &&
      Math.abs(cart.json('totalAmount') - items.reduce((sum, i) => sum + i.subtotal, 0)) < 0.005,
  });
  return items;
}

function order(cart) {
  const placed = http.post(
    `${BASE_URL}/api/orders`,
    json({
      customer: { name: 'Mix Shopper', email: 'mix@example.com', phone: '+1 555 0101' },
      deliveryAddress: '2 Scenario Street',
    }),
    { headers: Object.assign({ 'Idempotency-Key': newKey() }, JSON_HEADERS), tags: { kind: 'order' } },
  );
  check(placed, { 'order (201)': (r) => r.status === 201 });
  if (placed.status === 201) {
    ordersCreated.add(1);
    unitsOrdered.add(units(cart));
  }
  const mine = http.get(`${BASE_URL}/api/orders`, { tags: { kind: 'order' } });
  check(mine, {
    'order history (200)': (r) => r.status === 200,
    "order history is this visitor's one order": (r) =>
      r.status === 200 &&
      placed.status === 201 &&
      r.json('totalElements') === 1 &&
      r.json('data.0.orderNumber') === placed.json('orderNumber'),
  });
}

function login() {
  const user = USERS[Math.floor(Math.random() * USERS.length)];
  const res = http.post(`${BASE_URL}/api/auth/login`, json(user), { headers: JSON_HEADERS });
  check(res, { 'login (200)': (r) => r.status === 200 });
  check(http.get(`${BASE_URL}/api/auth/me`), {
    'me (200)': (r) => r.status === 200,
    'me is the user who logged in': (r) => r.status === 200 && r.json('username') === user.username,
  });
}

export default function () {
  group('browse', browse);
  const roll = Math.random();
  const cart = roll < 0.5 ? group('cart', editCart) : undefined;
  if (roll < 0.15 && cart) group('order', () => order(cart));
  if (roll > 0.95) group('login', login);
  sleep(Number(__ENV.THINK_TIME || 1));
}
