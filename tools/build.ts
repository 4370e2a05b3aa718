/**
 * Builds what `npm start` runs: the renderer (Vite) and four Node bundles (esbuild): the launcher, the `berth` command,
 * the Electron main process and the sandboxed preload (which can require nothing, so it is bundled whole).
 */
import { build as buildRenderer } from 'vite';
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

await buildRenderer({ configFile: `${root}/vite.config.ts`, logLevel: 'warn' });

const common = { bundle: true, platform: 'node', target: 'node20', sourcemap: true, logLevel: 'warning' } as const;
await Promise.all([
  build({
    ...common,
    entryPoints: [`${root}/app/launcher/main.ts`],
    outfile: `${root}/dist/app/berth.mjs`,
    format: 'esm',
    packages: 'external',
  }),
  build({
    ...common,
    entryPoints: [`${root}/app/cli/main.ts`],
    outfile: `${root}/dist/app/berth-cli.mjs`,
    format: 'esm',
    packages: 'external',
  }),
  build({
    ...common,
    entryPoints: [`${root}/app/electron/main.ts`],
    outfile: `${root}/dist/app/electron-main.cjs`,
    format: 'cjs',
    external: ['electron'],
    packages: 'external',
  }),
  build({
    ...common,
    entryPoints: [`${root}/app/electron/preload.ts`],
    outfile: `${root}/dist/app/preload.cjs`,
    format: 'cjs',
    external: ['electron'],
  }),
]);
console.log('Built dist/renderer and dist/app.');
