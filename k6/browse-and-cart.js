// A realistic mix: mostly browsing, some cart edits, a few orders and logins.
//   k6 run -e BASE_URL=http://localhost k6/browse-and-cart.js
import http from 'k6/http';
import { check, group, sleep } from 'k6';
import { randomBytes } from 'k6/crypto';

const BASE_URL = __ENV.BASE_URL || 'http://localhost';
const JSON_HEADERS = { 'Content-Type': 'application/json' };
// k6 v0.48's compiler takes ES2015-style code: no object spread, no global crypto.
const newKey = () =>
  Array.prototype.map
    .call(new Uint8Array(randomBytes(16)), (b) => (b < 16 ? '0' : '') + b.toString(16))
    .join('');
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
  thresholds: {
    http_req_failed: ['rate<0.01'],
    checks: ['rate>0.99'],
    'http_req_duration{kind:browse}': ['p(95)<200'],
    'http_req_duration{kind:cart}': ['p(95)<300'],
    'http_req_duration{kind:order}': ['p(95)<500'],
  },
};

const code = () => `P${100 + Math.floor(Math.random() * 15)}`;
const json = (body) => JSON.stringify(body);

function browse() {
  const page = 1 + Math.floor(Math.random() * 2);
  const list = http.get(`${BASE_URL}/api/products?page=${page}`, { tags: { kind: 'browse' } });
  check(list, { 'catalog page (200)': (r) => r.status === 200 });
  for (let i = 0; i < 3; i++) {
    const product = http.get(`${BASE_URL}/api/products/${code()}`, { tags: { kind: 'browse' } });
    check(product, { 'product (200)': (r) => r.status === 200 });
  }
  http.get(`${BASE_URL}/api/products/recently-viewed`, { tags: { kind: 'browse' } });
}

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
  check(cart, { 'cart (200)': (r) => r.status === 200 && r.json('itemCount') >= 2 });
}

function order() {
  const placed = http.post(
    `${BASE_URL}/api/orders`,
    json({
      customer: { name: 'Mix Shopper', email: 'mix@example.com', phone: '+1 555 0101' },
      deliveryAddress: '2 Scenario Street',
    }),
    { headers: Object.assign({ 'Idempotency-Key': newKey() }, JSON_HEADERS), tags: { kind: 'order' } },
  );
  check(placed, { 'order (201)': (r) => r.status === 201 });
  http.get(`${BASE_URL}/api/orders`, { tags: { kind: 'order' } });
}

function login() {
  const user = USERS[Math.floor(Math.random() * USERS.length)];
  const res = http.post(`${BASE_URL}/api/auth/login`, json(user), { headers: JSON_HEADERS });
  check(res, { 'login (200)': (r) => r.status === 200 });
  check(http.get(`${BASE_URL}/api/auth/me`), { 'me (200)': (r) => r.status === 200 });
}

export default function () {
  group('browse', browse);
  const roll = Math.random();
  if (roll < 0.5) group('cart', editCart);
  if (roll < 0.15) group('order', order);
  if (roll > 0.95) group('login', login);
  sleep(Number(__ENV.THINK_TIME || 1));
}
