import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BadInput } from '../app/testing/bad-input-catalogue.js';
import { badInputsSection, readmeWithBadInputs, SECTION_HEADING } from './bad-inputs-readme-section.js';

const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');

describe("README's bad-input table", () => {
  it('is the catalogue, as `npm run readme:bad-inputs` writes it', async () => {
    // When this fails: run `npm run readme:bad-inputs` (the catalogue changed) rather than editing README by hand.
    expect(readme.includes(SECTION_HEADING), 'README has no bad-input section').toBe(true);
    expect(await readmeWithBadInputs(readme)).toBe(readme);
    // Prettier over the whole README: about a second, more on a busy machine.
  }, 60_000);

  it('notices a changed message', async () => {
    const entry: BadInput = { id: 'x', surface: 'API', input: 'a', message: 'A message | with a pipe.', drive: { kind: 'ui' } };
    const section = badInputsSection([entry]);
    expect(section).toContain('| API | a | `A message \\| with a pipe.` |');
    const small = '# Berth\n\n## Reliability\n\nFigures.\n\n## Tests\n\nHow.\n';
    const written = await readmeWithBadInputs(small, [entry]);
    expect(written).toContain('Figures.\n\n### Bad input, catalogued\n');
    // Written again over itself, it stays: the section is replaced, not added twice.
    expect(await readmeWithBadInputs(written, [entry])).toBe(written);
    expect(written.split(SECTION_HEADING).length).toBe(2);
    expect(written.indexOf(SECTION_HEADING)).toBeLessThan(written.indexOf('\n## Tests\n'));
  }, 60_000);
});
