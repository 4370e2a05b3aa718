import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkComposeFile, composeFileFacts, projectNameConflict, projectNameFor } from './compose-file.js';

const dir = mkdtempSync(path.join(tmpdir(), 'berth-compose-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('checkComposeFile', () => {
  it('reads a compose file and its declared name', async () => {
    const file = path.join(dir, 'compose.yaml');
    writeFileSync(file, 'name: "My_Shop"\nservices:\n  web:\n    image: nginx\n');
    expect(await checkComposeFile(file)).toEqual({ file, declaredName: 'my_shop' });
  });

  it('refuses a missing file, a folder, a relative path, binary data and text without services', async () => {
    await expect(checkComposeFile(path.join(dir, 'nope.yaml'))).rejects.toThrow(
      `There is no file at ${path.join(dir, 'nope.yaml')}.`,
    );
    await expect(checkComposeFile(dir)).rejects.toThrow(`${dir} is a folder. Choose the compose file in it`);
    await expect(checkComposeFile('compose.yaml')).rejects.toThrow('must be given as a full path');
    const binary = path.join(dir, 'image.png');
    writeFileSync(binary, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2]));
    await expect(checkComposeFile(binary)).rejects.toThrow(`${binary} is not a compose file: it is not text.`);
    const readme = path.join(dir, 'README.md');
    writeFileSync(readme, '# Shop\n\nservices: see below\n');
    await expect(checkComposeFile(readme)).rejects.toThrow(
      `${readme} is not a compose file: it has no top-level "services:" section.`,
    );
  });

  it('takes an include-only file', () => {
    expect(composeFileFacts('/p/compose.yaml', Buffer.from('include:\n  - other.yaml\n'))).toBeNull();
  });
});

describe('projectNameFor', () => {
  it('prefers the name asked for, then the declared one, then the folder compose would use', () => {
    const facts = { file: '/home/me/My Shop.v2/compose.yaml', declaredName: null };
    expect(projectNameFor(facts, 'asked')).toBe('asked');
    expect(projectNameFor({ ...facts, declaredName: 'declared' }, null)).toBe('declared');
    expect(projectNameFor(facts, null)).toBe('myshopv2');
    expect(() => projectNameFor({ file: '/__/compose.yaml', declaredName: null }, null)).toThrow('give one');
  });
});

describe('projectNameConflict', () => {
  it("names the other file that owns the project, and allows the same file's project", () => {
    expect(projectNameConflict('shop', '/a/compose.yaml', ['/a/compose.yaml', undefined])).toBeNull();
    expect(projectNameConflict('shop', '/a/compose.yaml', ['/b/compose.yaml'])).toBe(
      'The project name shop is already used by /b/compose.yaml. Choose another project name, or bring that project down first.',
    );
  });
});
