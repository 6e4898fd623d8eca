import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const ROOT = join(__dirname, '../..');
const DEPCRUISE = join(ROOT, 'node_modules/.bin/depcruise');

/** Runs the project's boundary check over a small tree of files; returns the violations' rule names. */
function check(files: Record<string, string>): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'boundaries-'));
  try {
    cpSync(join(ROOT, '.dependency-cruiser.js'), join(dir, '.dependency-cruiser.js'));
    const manifest = 'src/session/session-package.json';
    mkdirSync(join(dir, 'src/session'), { recursive: true });
    cpSync(join(ROOT, manifest), join(dir, manifest));
    // npm imports resolve as in the project (the session library's rule tells them apart).
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
    writeFileSync(join(dir, 'tsconfig.json'), '{"compilerOptions":{"strict":true}}');
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    // The same command as `npm run boundaries`: it must exit non-zero on a violation.
    const run = spawnSync(DEPCRUISE, ['src', '--config', '.dependency-cruiser.js'], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 60_000,
    });
    const out = run.stdout ?? '';
    // Exit 0 says "no violations" only with its report; any other exit, only with a list.
    if (run.status === 0 && /no dependency violations found/.test(out)) return [];
    const violations = [...out.matchAll(/^\s*error (\S+):/gm)].map((m) => m[1]).sort();
    const summary = /(\d+) dependency violations? \((\d+) errors?/.exec(out);
    if (run.status !== 0 && violations.length > 0 && Number(summary?.[2]) === violations.length)
      return violations;
    throw new Error(
      `dependency-cruiser failed (exit ${run.status}, signal ${run.signal}, ${String(run.error)}):\n` +
        `${out}\n${run.stderr ?? ''}`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const barrels = {
  'src/modules/catalog/index.ts': "export { CATALOG } from './catalog.api';",
  'src/modules/catalog/catalog.api.ts': 'export const CATALOG = 1;',
  'src/modules/inventory/index.ts': 'export const STOCK = 1;',
  'src/modules/cart/index.ts': 'export const CART = 1;',
};

describe('module boundary check (dependency-cruiser)', () => {
  it('accepts imports through barrels along the intended graph', () => {
    expect(
      check({
        ...barrels,
        'src/modules/cart/cart.service.ts':
          "import { CATALOG } from '../catalog';\nexport const X = CATALOG;",
        'src/app.module.ts': "import { CART } from './modules/cart';\nexport const Y = CART;",
      }),
    ).toEqual([]);
  });

  it("fails an import of another module's internals", () => {
    expect(
      check({
        ...barrels,
        'src/modules/cart/cart.service.ts':
          "import { CATALOG } from '../catalog/catalog.api';\nexport const X = CATALOG;",
      }),
    ).toEqual(['only-via-barrel']);
  });

  it('fails a dependency the graph does not allow, even through the barrel', () => {
    expect(
      check({
        ...barrels,
        'src/modules/catalog/web.ts':
          "import { STOCK } from '../inventory';\nexport const X = STOCK;",
      }),
    ).toEqual(['catalog-allowed-deps']);
  });

  it('fails type-only imports too', () => {
    expect(
      check({
        ...barrels,
        'src/modules/inventory/x.ts':
          "import type { CART } from '../cart';\nexport type T = typeof CART;",
      }),
    ).toEqual(['inventory-allowed-deps']);
  });

  it('fails infrastructure that reaches into a business module', () => {
    expect(
      check({
        ...barrels,
        'src/platform/http/x.ts':
          "import { CART } from '../../modules/cart';\nexport const X = CART;",
      }),
    ).toEqual(['infrastructure-ignores-business']);
  });

  it('keeps the session library free of the app: no src/ import outside it', () => {
    expect(
      check({
        'src/platform/http/error.ts': 'export const E = 1;',
        'src/session/ok.ts':
          "import { Injectable } from '@nestjs/common';\nexport const I = Injectable;",
        'src/session/x.ts': "import { E } from '../platform/http/error';\nexport const X = E;",
      }),
    ).toEqual(['session-is-a-library']);
  });

  it('lets the session library import from npm only what its package declares', () => {
    expect(
      check({
        'src/session/redis.ts': "import Redis from 'ioredis';\nexport const R = Redis;",
        'src/session/x.ts': "import express from 'express';\nexport const X = express;",
        'src/session/y.ts': "import type { Request } from 'express';\nexport type Y = Request;",
      }),
    ).toEqual(['session-declared-deps', 'session-declared-deps']);
  });

  it('fails a cycle', () => {
    const violations = new Set(
      check({
        'src/shared/a.ts': "import { B } from './b';\nexport const A = () => B;",
        'src/shared/b.ts': "import { A } from './a';\nexport const B = () => A;",
      }),
    );
    expect(violations).toEqual(new Set(['no-circular']));
  });
});
