// `npm run build:session`: src/session as a package of its own in dist-session/ (JavaScript,
// types, package.json, README), ready for `npm pack`. The app itself keeps importing src/session.
import { execFileSync } from 'node:child_process';
import { copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');
const LIB = join(ROOT, 'src/session');
const OUT = join(ROOT, 'dist-session');

rmSync(OUT, { recursive: true, force: true });
execFileSync(join(ROOT, 'node_modules/.bin/tsc'), ['-p', join(LIB, 'tsconfig.lib.json')], {
  stdio: 'inherit',
});
rmSync(join(OUT, 'tsconfig.lib.tsbuildinfo'), { force: true });
const manifest = JSON.parse(readFileSync(join(LIB, 'session-package.json'), 'utf8')) as object;
writeFileSync(join(OUT, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
rmSync(join(OUT, 'session-package.json'), { force: true });
copyFileSync(join(LIB, 'README.md'), join(OUT, 'README.md'));
console.log(`Built ${OUT}`);
