import { Logger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Application, Request, Response } from 'express';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** web/dist beside dist/ (or src/ under ts-jest): both sit at the same depth. */
const STOREFRONT_DIR = join(__dirname, '..', '..', '..', 'web', 'dist');

/**
 * The storefront (web/, built by `npm run build`): its page at `/` and its fingerprinted files
 * under `/assets/`. Nothing is mounted at the root, so `/api`, `/health`, `/metrics` and
 * `/api-docs` never pass through a file lookup.
 */
export function serveStorefront(app: NestExpressApplication, dir = STOREFRONT_DIR): void {
  const indexFile = join(dir, 'index.html');
  if (!existsSync(indexFile)) {
    new Logger('Storefront').warn(`${indexFile} is missing: run \`npm run build\` to build it`);
    return;
  }
  const page = readFileSync(indexFile);
  app.useStaticAssets(join(dir, 'assets'), { prefix: '/assets/', immutable: true, maxAge: '1y' });
  const server: Application = app.getHttpAdapter().getInstance();
  server.get('/', (_req: Request, res: Response) => {
    // The page names the current assets: always revalidated, the assets themselves never.
    res.set({ 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-cache' });
    res.send(page);
  });
}
