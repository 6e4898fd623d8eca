// The reference bookstore's load test: add to cart, then order with the session cookie.
//   k6 run k6/order-flow.js                      (BASE_URL=http://localhost VUS=20 DURATION=60s)
//   docker compose --profile load run --rm k6
import http from 'k6/http';
import { check, sleep } from 'k6';
import { randomBytes } from 'k6/crypto';

const BASE_URL = __ENV.BASE_URL || 'http://localhost';
const JSON_HEADERS = { 'Content-Type': 'application/json' };
// k6 v0.48's compiler takes ES2015-style code: no object spread, no global crypto.
const newKey = () =>
  Array.prototype.map
    .call(new Uint8Array(randomBytes(16)), (b) => (b < 16 ? '0' : '') + b.toString(16))
    .join('');

export const options = {
  vus: Number(__ENV.VUS || 20),
  duration: __ENV.DURATION || '60s',
  thresholds: {
    // Fewer than 1 % of requests may fail, and the business checks must hold 99 % of the time.
    http_req_failed: ['rate<0.01'],
    checks: ['rate>0.99'],
    // Latency seen by users through nginx.
    http_req_duration: ['p(95)<300', 'p(99)<800'],
  },
};

const randomCode = () => `P${100 + Math.floor(Math.random() * 15)}`;

export default function () {
  // k6 keeps one cookie jar per virtual user, so BOOKSTORE_SESSION travels by itself.
  const code = randomCode();
  const added = http.post(`${BASE_URL}/api/cart/items`, JSON.stringify({ code, quantity: 1 }), {
    headers: JSON_HEADERS,
  });
  check(added, {
    'added to cart (201)': (r) => r.status === 201,
    'cart holds the product': (r) => r.status === 201 && r.json('items').some((i) => i.code === code),
  });

  const order = {
    customer: { name: 'Load Tester', email: 'load@example.com', phone: '+1 555 0100' },
    deliveryAddress: '1 Benchmark Way, Springfield',
    item: { code, quantity: 1 },
  };
  const placed = http.post(`${BASE_URL}/api/orders`, JSON.stringify(order), {
    headers: Object.assign({ 'Idempotency-Key': newKey() }, JSON_HEADERS),
  });
  check(placed, {
    'order created (201)': (r) => r.status === 201,
    'order number returned': (r) => r.status === 201 && !!r.json('orderNumber'),
  });
  if (placed.status === 201) {
    const mine = http.get(`${BASE_URL}/api/orders/${placed.json('orderNumber')}`);
    check(mine, { 'order readable by its owner (200)': (r) => r.status === 200 });
  }
  sleep(Number(__ENV.THINK_TIME || 0.5));
}
