import type { NestExpressApplication } from '@nestjs/platform-express';

/**
 * express's `trust proxy` from TRUST_PROXY: nothing by default (the peer is the client),
 * a hop count ("1": the one proxy in front, e.g. nginx), or addresses / subnets /
 * express's names (loopback, linklocal, uniquelocal). Only a trusted peer's
 * X-Forwarded-For decides `req.ip`, which the per-address limits count.
 */
function trustProxy(setting: string | undefined): boolean | number | string[] {
  const value = setting?.trim() ?? '';
  if (value === '' || value === 'false') return false;
  if (/^\d+$/.test(value)) return Number(value);
  return value.split(',').map((s) => s.trim());
}

/** Applies TRUST_PROXY; an address express cannot parse stops the start, naming the variable. */
export function applyTrustProxy(app: NestExpressApplication, setting: string | undefined): void {
  try {
    app.set('trust proxy', trustProxy(setting));
  } catch (err) {
    throw new Error(`Invalid configuration:\n  TRUST_PROXY: ${(err as Error).message}`);
  }
}
