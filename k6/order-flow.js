// The reference bookstore's load test: add to cart, then order what the cart holds.
//   k6 run k6/order-flow.js                      (BASE_URL=http://localhost VUS=20 DURATION=60s)
//   docker compose --profile load run --rm k6
import http from 'k6/http';
import { check, sleep } from 'k6';
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

export const options = {
  vus: Number(__ENV.VUS || 20),
  duration: __ENV.DURATION || '60s',
  // p95 and p99 are reported, not judged: a shared machine's latency says little.
  summaryTrendStats: ['avg', 'med', 'p(95)', 'p(99)', 'max'],
  thresholds: {
    // Fewer than 1 % of requests may fail, and the business checks must hold 99 % of the time.
    http_req_failed: ['rate<0.01'],
    checks: ['rate>0.99'],
    // A guard against gross regressions only: below 2 s, latency is reported, not judged.
    http_req_duration: ['p(95)<2000'],
  },
};

const randomCode = () => `P${100 + Math.floor(Math.random() * 15)}`;
/** code → quantity of a cart's or an order's lines, in a form two of them compare by. */
const linesOf = (items) =>
  items
    .map((i) => `${i.code}×${i.quantity}`)
    .sort()
    .join(',');
const units = (items) => items.reduce((sum, i) => sum + i.quantity, 0);

export default function () {
  // k6 gives each iteration a fresh cookie jar; within it, BOOKSTORE_SESSION travels by itself.
  const code = randomCode();
  const added = http.post(`${BASE_URL}/api/cart/items`, JSON.stringify({ code, quantity: 1 }), {
    headers: JSON_HEADERS,
  });
  check(added, {
    'added to cart (201)': (r) => r.status === 201,
    'cart holds the product': (r) => r.status === 201 && r.json('items').some((i) => i.code === code),
  });

  // The cart as the server keeps it: a lost session or cart write shows here, not as an order.
  const cart = http.get(`${BASE_URL}/api/cart`);
  const items = cart.status === 200 ? cart.json('items') : [];
  check(cart, {
    'cart read back (200)': (r) => r.status === 200,
    'cart read back holds the product': () => items.some((i) => i.code === code),
  });

  const order = {
    customer: { name: 'Load Tester', email: 'load@example.com', phone: '+1 555 0100' },
    deliveryAddress: '1 Benchmark Way, Springfield',
  };
  const placed = http.post(`${BASE_URL}/api/orders`, JSON.stringify(order), {
    headers: Object.assign({ 'Idempotency-Key': newKey() }, JSON_HEADERS),
  });
  check(placed, {
    'order created (201)': (r) => r.status === 201,
    'order number returned': (r) => r.status === 201 && !!r.json('orderNumber'),
  });
  if (placed.status === 201) {
    ordersCreated.add(1);
    unitsOrdered.add(units(items));
    const mine = http.get(`${BASE_URL}/api/orders/${placed.json('orderNumber')}`);
    check(mine, {
      'order readable by its owner (200)': (r) => r.status === 200,
      "order's lines are the cart's": (r) =>
        r.status === 200 && linesOf(r.json('items')) === linesOf(items),
    });
  }
  sleep(Number(__ENV.THINK_TIME || 0.5));
}
