/**
 * An image of a given platform as a `docker save` archive, for `docker load`: one layer (the root tar
 * given) and a configuration that says `os`/`architecture`/`variant`. `docker import --platform` cannot
 * make one: dockerd 20.10 keeps its own architecture in the configuration whatever the flag says.
 * Test images of another CPU architecture (an arm64 busybox root for the VM's emulation tests, a
 * one-file root for platform metadata) are made with it, without any registry.
 */
import { createHash } from 'node:crypto';
import { createTar } from '../archive/index.js';

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

export function platformImageArchive(reference: string, platform: string, rootTar: Buffer): Buffer {
  const [os, architecture, variant] = platform.split('/');
  const config = JSON.stringify({
    architecture,
    os,
    ...(variant ? { variant } : {}),
    created: new Date(0).toISOString(),
    config: { Cmd: ['sh'] },
    rootfs: { type: 'layers', diff_ids: [`sha256:${sha256(rootTar)}`] },
    history: [{ created: new Date(0).toISOString(), created_by: `berth test image (${platform})` }],
  });
  const configFile = `${sha256(config)}.json`;
  const manifest = JSON.stringify([{ Config: configFile, RepoTags: [reference], Layers: ['layer.tar'] }]);
  return createTar([
    { path: configFile, content: Buffer.from(config), mode: 0o644 },
    { path: 'layer.tar', content: rootTar, mode: 0o644 },
    { path: 'manifest.json', content: Buffer.from(manifest), mode: 0o644 },
  ]);
}
