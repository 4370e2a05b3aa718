/** `npm run readme:bad-inputs`: writes README's "Bad input, catalogued" table from the catalogue. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readmeWithBadInputs } from './bad-inputs-readme-section.js';

const path = join(import.meta.dirname, '..', 'README.md');
const before = readFileSync(path, 'utf8');
const after = await readmeWithBadInputs(before);
writeFileSync(path, after);
console.log(before === after ? 'README.md already matches the catalogue.' : 'Wrote the bad-input table into README.md.');
