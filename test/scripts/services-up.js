// Fails fast, with the fix, when the Postgres or Redis the suite uses is not reachable.
const { Client } = require('pg');
const Redis = require('ioredis');
const net = require('node:net');

const pgUrl = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const redisUrl = process.env.TEST_REDIS_URL || 'redis://127.0.0.1:6379';
const amqpUrl = new URL(process.env.TEST_RABBITMQ_URL || 'amqp://guest:guest@127.0.0.1:5672');

function reachable(host, port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port: Number(port), timeout: 5000 });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.once('timeout', () => done(false));
  });
}

async function main() {
  const problems = [];
  const pg = new Client({ connectionString: pgUrl, connectionTimeoutMillis: 5000 });
  await pg
    .connect()
    .then(() => pg.query('SELECT 1'))
    .catch((e) => problems.push(`PostgreSQL at ${pgUrl}: ${e.message} (set TEST_DATABASE_URL)`))
    .finally(() => pg.end().catch(() => {}));
  const redis = new Redis(redisUrl, {
    lazyConnect: true,
    connectTimeout: 5000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  redis.on('error', () => {});
  await redis
    .connect()
    .then(() => redis.ping())
    .catch((e) => problems.push(`Redis at ${redisUrl}: ${e.message} (set TEST_REDIS_URL)`))
    .finally(() => redis.disconnect());
  if (!(await reachable(amqpUrl.hostname, amqpUrl.port || 5672))) {
    problems.push(`RabbitMQ at ${amqpUrl.host}: not reachable (set TEST_RABBITMQ_URL)`);
  }
  if (problems.length > 0) {
    console.error(`The test suite needs these services running:\n  ${problems.join('\n  ')}`);
    process.exit(1);
  }
}
main();
