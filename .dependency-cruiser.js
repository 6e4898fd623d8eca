/**
 * Module boundaries (STYLE rules 1 and 3). Intended graph between business modules:
 * catalog, inventory, identity -> nothing; cart -> catalog; orders -> catalog, cart,
 * inventory; notifications -> orders (events only). Infrastructure never imports them.
 */
const allowed = {
  catalog: [],
  inventory: [],
  identity: [],
  cart: ['catalog'],
  orders: ['catalog', 'cart', 'inventory'],
  notifications: ['orders'],
};

/** src/session is a library of its own (build:session packs it): what its package declares. */
const sessionPackage = require('./src/session/session-package.json');
const sessionDeps = Object.keys({
  ...sessionPackage.dependencies,
  ...sessionPackage.peerDependencies,
});
const escape = (name) => name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

const perModule = Object.entries(allowed).map(([name, deps]) => ({
  name: `${name}-allowed-deps`,
  comment: `${name} may import only: ${deps.join(', ') || 'no other module'}`,
  severity: 'error',
  from: { path: `^src/modules/${name}/` },
  to: {
    path: '^src/modules/',
    pathNot: [`^src/modules/${name}/`, ...deps.map((d) => `^src/modules/${d}/`)],
  },
}));

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'only-via-barrel',
      comment: "Another module's internals are private: import its index.ts",
      severity: 'error',
      from: { path: '^src/modules/([^/]+)/' },
      to: {
        path: '^src/modules/[^/]+/.+',
        pathNot: ['^src/modules/$1/', '^src/modules/[^/]+/index\\.ts$'],
      },
    },
    {
      name: 'root-only-via-barrel',
      comment: 'The composition root reaches modules through their index.ts only',
      severity: 'error',
      from: { pathNot: '^src/modules/' },
      to: { path: '^src/modules/[^/]+/.+', pathNot: '^src/modules/[^/]+/index\\.ts$' },
    },
    {
      name: 'infrastructure-ignores-business',
      comment: 'platform, shared, config and session know nothing of business modules',
      severity: 'error',
      from: { path: '^src/(platform|shared|config|session)/' },
      to: { path: '^src/modules/' },
    },
    {
      name: 'shared-kernel-is-plain',
      comment: 'shared/ is a tiny kernel without Nest or other packages',
      severity: 'error',
      from: { path: '^src/shared/' },
      to: { dependencyTypes: ['npm', 'npm-dev'] },
    },
    {
      name: 'session-is-a-library',
      comment: 'src/session is published on its own: it imports nothing of the app',
      severity: 'error',
      from: { path: '^src/session/' },
      to: { path: '^src/', pathNot: '^src/session/' },
    },
    {
      name: 'session-declared-deps',
      comment: `src/session imports from npm only what its package declares: ${sessionDeps.join(', ')}`,
      severity: 'error',
      from: { path: '^src/session/' },
      to: {
        dependencyTypesNot: ['local', 'core', 'aliased', 'aliased-tsconfig'],
        pathNot: [
          `(^|/)node_modules/(@types/)?(${sessionDeps.map(escape).join('|')})/`,
          `^(${sessionDeps.map(escape).join('|')})$`, // not installed: the name as written
        ],
      },
    },
    ...perModule,
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.spec\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.json'] },
  },
};
