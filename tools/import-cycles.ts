/**
 * Finds import cycles, type imports included (the lint's import-x/no-cycle skips `import type`):
 * resolves every relative import of app, base, engine, vm, e2e and renderer with TypeScript's own
 * module resolution and prints each strongly connected group of files. Exits 1 when there is one.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = fileURLToPath(new URL('..', import.meta.url));
const FOLDERS = ['app', 'base', 'engine', 'vm', 'e2e', 'renderer'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name.startsWith('.')) return [];
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

const options: ts.CompilerOptions = {
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  allowJs: false,
};
const files = FOLDERS.flatMap((folder) => sourceFiles(join(root, folder)));
const graph = new Map<string, string[]>();
for (const file of files) {
  const imports = ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles.map((entry) => entry.fileName);
  graph.set(
    file,
    imports
      .filter((name) => name.startsWith('.'))
      .map((name) => ts.resolveModuleName(name, file, options, ts.sys).resolvedModule?.resolvedFileName)
      .filter((target): target is string => target !== undefined && !target.includes('node_modules')),
  );
}

// Tarjan's strongly connected components.
let index = 0;
const indexOf = new Map<string, number>();
const low = new Map<string, number>();
const stack: string[] = [];
const onStack = new Set<string>();
const cycles: string[][] = [];
function visit(file: string): void {
  indexOf.set(file, index);
  low.set(file, index++);
  stack.push(file);
  onStack.add(file);
  for (const next of graph.get(file) ?? []) {
    if (!indexOf.has(next)) {
      visit(next);
      low.set(file, Math.min(low.get(file)!, low.get(next)!));
    } else if (onStack.has(next)) low.set(file, Math.min(low.get(file)!, indexOf.get(next)!));
  }
  if (low.get(file) !== indexOf.get(file)) return;
  const group: string[] = [];
  let member: string;
  do {
    member = stack.pop()!;
    onStack.delete(member);
    group.push(member);
  } while (member !== file);
  if (group.length > 1 || graph.get(file)?.includes(file)) cycles.push(group);
}
for (const file of graph.keys()) if (!indexOf.has(file)) visit(file);

for (const [number, group] of cycles.entries()) {
  console.log(
    `Import cycle ${number + 1}: ${group
      .map((file) => relative(root, file))
      .sort()
      .join(', ')}`,
  );
}
console.log(`${files.length} files, ${cycles.length} import cycle(s).`);
process.exit(cycles.length > 0 ? 1 : 0);
