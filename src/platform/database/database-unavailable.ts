const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  '57014', // query_canceled: statement_timeout, the server is too slow to answer in time
  '57P01', // admin_shutdown
  '57P03', // cannot_connect_now
  '08000',
  '08001',
  '08003',
  '08006',
]);

const CONNECTION_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Query read timeout|Client has encountered a connection error/;

/** True when an error means "Postgres cannot be reached now" rather than a bug: a 503, not a 500. */
export function isDatabaseUnavailable(err: unknown): boolean {
  // Duck-typed: socket errors may come from another realm, where instanceof Error fails.
  if (typeof err !== 'object' || err === null) return false;
  const { code, message, driverError } = err as {
    code?: unknown;
    message?: unknown;
    driverError?: unknown;
  };
  if (typeof code === 'string' && CONNECTION_CODES.has(code)) return true;
  if (typeof message === 'string' && CONNECTION_MESSAGES.test(message)) return true;
  return driverError !== undefined && driverError !== err && isDatabaseUnavailable(driverError);
}
