import { source as axeSource } from 'axe-core';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { join } from 'node:path';
import { Browser, BrowserContext, chromium, Page } from 'playwright-core';
import { LOOPBACK } from './ports';

/** Debian's chromium (installed by test/scripts/prereqs.sh); CHROMIUM_PATH names another. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const WEB_DIST = join(__dirname, '../../web/dist');
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Headless Chromium with nothing of its own on the network: no background requests, updates or
 * sync, which this machine's closed network would refuse anyway. Playwright gives every launch a
 * fresh, empty profile directory.
 */
export function launchChromium(): Promise<Browser> {
  if (!existsSync(join(WEB_DIST, 'index.html'))) {
    throw new Error('web/dist is missing: run `npm run build` first');
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface GuardedContext {
  context: BrowserContext;
  page: Page;
  /** Requests the page tried to send off this machine: aborted, and the test fails on them. */
  offMachine: string[];
}

/** A fresh context (its own cookies) whose every request to a non-loopback host is refused. */
export async function loopbackOnlyContext(browser: Browser): Promise<GuardedContext> {
  const context = await browser.newContext({ viewport: { width: 1000, height: 760 } });
  context.setDefaultTimeout(30_000);
  const offMachine: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (LOOPBACK_HOSTS.has(new URL(url).hostname)) return route.continue();
    offMachine.push(url);
    return route.abort('blockedbyclient');
  });
  return { context, page: await context.newPage(), offMachine };
}

/** axe-core's violations on the page as it is now, as `rule: selectors` lines. */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol, which the page's CSP (script-src 'self') allows.
  await page.evaluate(axeSource);
  return page.evaluate<string[]>(`axe.run(document).then((result) => result.violations.map(
    (v) => v.id + ': ' + v.nodes.map((n) => n.target.join(' ')).join(', ')))`);
}

/**
 * The built storefront served from another origin, as a developer's frontend server would,
 * calling the API at `apiBase` (cross-origin, with credentials).
 */
export function serveStorefrontAt(port: number, apiBase: string): Promise<Server> {
  const index = readFileSync(join(WEB_DIST, 'index.html'), 'utf8').replace(
    '<meta name="api-base" content="" />',
    `<meta name="api-base" content="${apiBase}" />`,
  );
  if (!index.includes(apiBase)) throw new Error('index.html has no empty api-base meta tag');
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/') return void res.writeHead(200, { 'Content-Type': 'text/html' }).end(index);
    const file = join(WEB_DIST, 'assets', path.replace(/^\/assets\//, ''));
    if (!path.startsWith('/assets/') || path.includes('..') || !existsSync(file)) {
      return void res.writeHead(404).end();
    }
    const type = file.endsWith('.css') ? 'text/css' : 'text/javascript';
    res.writeHead(200, { 'Content-Type': type }).end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(port, LOOPBACK, () => resolve(server)));
}
