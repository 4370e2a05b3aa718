#!/usr/bin/env node
// The `berth` command (package.json "bin"). In a checkout it runs the sources through tsx, so
// `npx berth status` works without a build; where they are absent it runs the bundle (dist/app/berth-cli.mjs).
import { spawnSync } from 'node:child_process';
import process from 'node:process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(root, 'app', 'cli', 'main.ts');
const bundle = join(root, 'dist', 'app', 'berth-cli.mjs');
// tsx by its resolved address: the command runs in the user's folder, not the checkout's.
const args = existsSync(source) ? ['--import', import.meta.resolve('tsx'), source] : [bundle];
const result = spawnSync(process.execPath, [...args, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(result.status ?? 1);
