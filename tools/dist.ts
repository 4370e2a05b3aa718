/**
 * `npm run dist [-- linux|mac|win]`: desktop packages with electron-builder, for this computer's OS by
 * default. Each package carries the VM build of its own CPU (vm/image/package-resources.ts): staged
 * first under vm/.build/package/OS-ARCH for every target of that OS, or refused with the command that
 * builds what is missing. Packaging needs the Electron binary, which our build machines cannot fetch.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  PACKAGE_STAGE_SUBDIR,
  PACKAGE_TARGETS,
  PackageResourcesMissingError,
  stagePackageResources,
  type PackageOs,
} from '../vm/image/package-resources.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const HOST_OS: Record<string, PackageOs> = { linux: 'linux', darwin: 'mac', win32: 'win' };
const os = (process.argv[2] ?? HOST_OS[process.platform]) as PackageOs | undefined;
if (!os || !['linux', 'mac', 'win'].includes(os)) {
  console.error(`Which packages? npm run dist -- linux|mac|win (this computer is ${process.platform}).`);
  process.exit(2);
}

try {
  for (const target of PACKAGE_TARGETS.filter((candidate) => candidate.os === os)) {
    const stage = stagePackageResources(path.join(root, 'vm', '.build'), path.join(root, PACKAGE_STAGE_SUBDIR), target);
    console.log(`staged ${path.relative(root, stage)}`);
  }
} catch (error) {
  if (!(error instanceof PackageResourcesMissingError)) throw error;
  console.error(error.message);
  process.exit(1);
}
const run = (command: string, args: string[]) => execFileSync(command, args, { cwd: root, stdio: 'inherit' });
run('npm', ['run', 'build']);
run('npx', ['electron-builder', '--config', 'electron-builder.yml', `--${os}`]);
