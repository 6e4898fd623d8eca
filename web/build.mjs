// Builds the storefront into web/dist: index.html plus fingerprinted assets under assets/.
// `node web/build.mjs --dev`: rebuilds on change and serves it on http://localhost:5173,
// calling the API at API_BASE (default http://localhost:3000, which then needs
// CORS_ORIGINS=http://localhost:5173).
import * as esbuild from 'esbuild';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

const root = import.meta.dirname;
const out = join(root, 'dist');
const dev = process.argv.includes('--dev');
const apiBase = process.env.API_BASE ?? (dev ? 'http://localhost:3000' : '');

const options = {
  entryPoints: { app: join(root, 'src/main.tsx') },
  outdir: join(out, 'assets'),
  entryNames: dev ? '[name]' : '[name]-[hash]',
  bundle: true,
  format: 'esm',
  target: 'es2020',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  minify: !dev,
  sourcemap: dev ? 'inline' : false,
  metafile: true,
  logLevel: 'warning',
};

function writeIndex(metafile) {
  const files = Object.keys(metafile.outputs).map((file) => basename(file));
  const escaped = apiBase.replace(/[&"<>]/g, (c) => `&#${c.charCodeAt(0)};`);
  const html = readFileSync(join(root, 'index.html'), 'utf8')
    .replace('%API_BASE%', escaped)
    .replace('%JS%', files.find((f) => f.endsWith('.js')))
    .replace('%CSS%', files.find((f) => f.endsWith('.css')));
  writeFileSync(join(out, 'index.html'), html);
}

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
if (dev) {
  const ctx = await esbuild.context({
    ...options,
    plugins: [{ name: 'index', setup: (b) => b.onEnd((r) => r.metafile && writeIndex(r.metafile)) }],
  });
  await ctx.watch();
  const { port } = await ctx.serve({ servedir: out, host: '127.0.0.1', port: 5173 });
  console.log(`Storefront on http://localhost:${port}/ calling the API at ${apiBase}`);
} else {
  writeIndex((await esbuild.build(options)).metafile);
}
