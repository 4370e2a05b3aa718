/**
 * The packaged app must carry the engine VM: its host-side scripts and its image, outside the asar and
 * where the app looks for them (vm-host.ts, under process.resourcesPath). Packaging needs the Electron
 * binary, which these machines cannot download, so this holds electron-builder.yml to the code instead.
 */
import fs from 'node:fs';
import path from 'node:path';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { imageFiles } from '../../vm/image/image-check.js';
import { GUEST_ARCHES } from '../../vm/qemu/machine-profile.js';
import { VM_IMAGE_SUBDIR, VM_SCRIPTS_SUBDIR } from '../composition/index.js';

interface Resource {
  from: string;
  to: string;
  filter: string[];
}

const root = path.resolve(import.meta.dirname, '..', '..');
const config = load(fs.readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as {
  files: string[];
  asar: boolean;
  extraResources: Resource[];
};
const resource = (from: string) => config.extraResources.find((entry) => path.normalize(entry.from) === from);

describe('electron-builder.yml', () => {
  it('ships the image build where the app runs it (a rebuild), with what build-image.sh reads and nothing else', () => {
    const scripts = resource(VM_SCRIPTS_SUBDIR);
    expect(scripts?.to).toBe(scripts?.from);
    expect(scripts?.filter).toEqual(['*.sh']);
    const buildScript = fs.readFileSync(path.join(root, VM_SCRIPTS_SUBDIR, 'build-image.sh'), 'utf8');
    const readByBuild = [...buildScript.matchAll(/"\$HERE\/([\w.-]+)"/g)].map((match) => match[1]!);
    // A start runs no script (the TLS material is made in Node): a shell script there is for the build.
    const shipped = fs.readdirSync(path.join(root, VM_SCRIPTS_SUBDIR)).filter((name) => name.endsWith('.sh'));
    expect(shipped.sort()).toEqual([...new Set(['build-image.sh', ...readByBuild])].sort());
  });

  it('ships every image file the image check wants, of each architecture folder, with its checksums, where the app looks', () => {
    const image = resource(VM_IMAGE_SUBDIR);
    expect(image?.to).toBe(image?.from);
    const wanted = GUEST_ARCHES.flatMap((arch) => [...imageFiles(arch), 'SHA256SUMS', 'manifest.txt']);
    expect(image?.filter).toEqual(expect.arrayContaining([...new Set(wanted)].map((name) => `*/${name}`)));
  });

  it('keeps the VM out of the asar', () => {
    expect(config.asar).toBe(true);
    expect(config.files.some((pattern) => pattern.startsWith('vm'))).toBe(false);
  });
});
