import { readFileSync } from 'node:fs';
import { MODULE_DOCS, renderModuleDocs } from './module-docs';

/** docs/modules.md shows the module graph the code has now. */
describe('docs/modules.md', () => {
  it('is what `npm run docs:modules` generates from the code today', () => {
    const committed = readFileSync(MODULE_DOCS, 'utf8');
    const fresh = renderModuleDocs();
    expect({ upToDate: committed === fresh, hint: 'run `npm run docs:modules`' }).toEqual({
      upToDate: true,
      hint: 'run `npm run docs:modules`',
    });
  });

  it('names every business module and the rule for each', () => {
    const fresh = renderModuleDocs();
    for (const module of ['catalog', 'inventory', 'identity', 'cart', 'orders', 'notifications']) {
      expect(fresh).toMatch(new RegExp(`^\\| ${module} \\|`, 'm'));
      expect(fresh).toMatch(new RegExp(`\\["${module}"\\]`));
    }
    expect(fresh).toMatch(/^\| notifications \| orders \|$/m);
  });
});
