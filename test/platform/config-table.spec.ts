import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validatedVariables } from '../support/settings';

/** The README's configuration table names exactly the variables the code validates. */
describe('README configuration table', () => {
  it('has a row for every validated variable and none for anything else', () => {
    const readme = readFileSync(join(__dirname, '../../README.md'), 'utf8');
    const section = readme.split('\n## Configuration\n')[1].split('\n## ')[0];
    const documented = section
      .split('\n')
      .filter((line) => line.startsWith('| `'))
      .flatMap((line) => [...line.split('|')[1].matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1]));
    expect([...new Set(documented)].sort()).toEqual(validatedVariables());
  });
});
