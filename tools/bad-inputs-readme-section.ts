/**
 * README's "Bad input, catalogued" subsection, written from the catalogue (app/testing/bad-input-catalogue.ts)
 * so the two never drift: `npm run readme:bad-inputs` writes it, and a unit test fails when README differs.
 * The subsection ends the "## Reliability" section, just before "## Tests".
 */
import prettier from 'prettier';
import { BAD_INPUTS, PLACEHOLDERS, WILDCARDS, type BadInput } from '../app/testing/bad-input-catalogue.js';

export const SECTION_HEADING = '### Bad input, catalogued';
const NEXT_SECTION = '\n## Tests\n';

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
/** A message as code, so its quotes, underscores and brackets are shown as they are. */
const code = (text: string) => (text.includes('`') ? `\`\` ${text} \`\`` : `\`${text}\``);

function row(entry: BadInput): string {
  return `| ${entry.surface} | ${cell(entry.input)} | ${cell(code(entry.message))} |`;
}

export function badInputsSection(entries: readonly BadInput[] = BAD_INPUTS): string {
  const counts = (['UI', 'API', 'CLI'] as const).map((surface) => {
    const count = entries.filter((entry) => entry.surface === surface).length;
    return `${count} ${surface === 'CLI' ? 'on the command line' : surface === 'UI' ? 'in the UI' : 'through the API'}`;
  });
  const placeholders = [
    ...Object.entries(PLACEHOLDERS).map(([name, meaning]) => `- \`{${name}}\`: ${meaning}`),
    ...Object.entries(WILDCARDS).map(([name, meaning]) => `- \`{${name}}\` (a wildcard): ${meaning}`),
  ];
  return [
    SECTION_HEADING,
    '',
    `${entries.length} inputs Berth refuses (${counts.join(', ')}), each with the exact message it answers.`,
    'The list is `app/testing/bad-input-catalogue.ts`: `app/testing/bad-input-catalogue.integration.test.ts` gives every',
    'API and command-line entry to a real Berth in browser mode over the private dockerd (the API over its WebSocket,',
    'the command as `bin/berth.js`), `e2e/bad-input-catalogue.spec.ts` every UI entry in Chromium, and',
    '`npm run readme:bad-inputs` writes this table from it (a unit test fails when the two differ). In a message, these',
    'parts are filled in by the test, and a wildcard stands for any text:',
    '',
    ...placeholders,
    '',
    '| surface | input | message |',
    '| --- | --- | --- |',
    ...entries.map(row),
    '',
  ].join('\n');
}

/** README with the subsection written (or replaced) at the end of "## Reliability", formatted as prettier would. */
export async function readmeWithBadInputs(readme: string, entries: readonly BadInput[] = BAD_INPUTS): Promise<string> {
  const end = readme.indexOf(NEXT_SECTION);
  if (end < 0) throw new Error('README.md has no "## Tests" section to put the bad-input table before.');
  const start = readme.indexOf(`\n${SECTION_HEADING}\n`);
  const before = start >= 0 && start < end ? readme.slice(0, start + 1) : `${readme.slice(0, end).trimEnd()}\n\n`;
  const text = `${before}${badInputsSection(entries)}${readme.slice(end)}`;
  const options = (await prettier.resolveConfig('README.md')) ?? {};
  return prettier.format(text, { ...options, parser: 'markdown' });
}
