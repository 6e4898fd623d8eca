import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '../..');
export const K6_INSTALL_HINT =
  'k6 not found: install it (https://grafana.com/docs/k6/latest/set-up/install-k6/), ' +
  'put it at ../shared/tools/k6 beside the checkout, or set K6_BIN';

/** K6_BIN, then the shared tools folder beside the checkout, then `k6` on PATH; none: undefined. */
export function findK6(): string | undefined {
  const candidates = [process.env.K6_BIN, join(ROOT, '../shared/tools/k6')];
  const file = candidates.find((c): c is string => !!c && existsSync(c));
  if (file) return file;
  return spawnSync('k6', ['version'], { timeout: 10_000 }).status === 0 ? 'k6' : undefined;
}
