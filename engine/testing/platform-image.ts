/**
 * An image of a given platform as a `docker save` archive, for `docker load`: one layer (the root tar
 * given) and a configuration that says `os`/`architecture`/`variant`. `docker import --platform` cannot
 * make one: dockerd 20.10 keeps its own architecture in the configuration whatever the flag says.
 * Test images of another CPU architecture (an arm64 busybox root for the VM's emulation tests, a
 * one-file root for platform metadata) are made with it, without any registry.
 */
import { createHash } from 'node:crypto';
import { createTar } from '../archive/index.js';
import { dockerCli } from './test-images.js';

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

export function platformImageArchive(reference: string, platform: string, rootTar: Buffer): Buffer {
  const [os, architecture, variant] = platform.split('/');
  const created = new Date().toISOString();
  const config = JSON.stringify({
    architecture,
    os,
    ...(variant ? { variant } : {}),
    created,
    config: { Cmd: ['sh'] },
    rootfs: { type: 'layers', diff_ids: [`sha256:${sha256(rootTar)}`] },
    history: [{ created, created_by: `berth test image (${platform})` }],
  });
  const configFile = `${sha256(config)}.json`;
  const manifest = JSON.stringify([{ Config: configFile, RepoTags: [reference], Layers: ['layer.tar'] }]);
  return createTar([
    { path: configFile, content: Buffer.from(config), mode: 0o644 },
    { path: 'layer.tar', content: rootTar, mode: 0o644 },
    { path: 'manifest.json', content: Buffer.from(manifest), mode: 0o644 },
  ]);
}

const MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
const MANIFEST_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';

/** A root with one file, as a tar: enough for an image whose platform matters and that nothing runs. */
export const oneFileRoot = (content: string): Buffer =>
  createTar([{ path: 'platform', content: Buffer.from(content), mode: 0o644 }]);

async function manifestOf(registry: string, repository: string, tag: string): Promise<{ digest: string; size: number }> {
  const response = await fetch(`http://${registry}/v2/${repository}/manifests/${tag}`, {
    method: 'HEAD',
    headers: { Accept: MANIFEST },
  });
  const digest = response.headers.get('docker-content-digest');
  if (!response.ok || !digest) throw new Error(`HEAD ${repository}:${tag} on ${registry}: ${response.status}`);
  return { digest, size: Number(response.headers.get('content-length')) };
}

/**
 * `REGISTRY/REPOSITORY:TAG` as a manifest list of one-file images, one per platform ("linux/amd64"):
 * each loaded, pushed as `REPOSITORY:<arch>` and removed here again, then the list put on the registry
 * over its HTTP API (what `docker manifest push` does). Returns the list's reference.
 */
export async function seedMultiPlatformImage(
  dockerHost: string,
  registry: string,
  repository: string,
  platforms: readonly string[],
  tag = 'multi',
): Promise<string> {
  const manifests = [];
  for (const platform of platforms) {
    const [os, architecture, variant] = platform.split('/');
    const single = `${registry}/${repository}:${platform.replaceAll('/', '-')}`;
    await dockerCli(dockerHost, ['load'], platformImageArchive(single, platform, oneFileRoot(platform)));
    await dockerCli(dockerHost, ['push', single]);
    await dockerCli(dockerHost, ['rmi', single]);
    const { digest, size } = await manifestOf(registry, repository, platform.replaceAll('/', '-'));
    manifests.push({ mediaType: MANIFEST, digest, size, platform: { os, architecture, ...(variant ? { variant } : {}) } });
  }
  const put = await fetch(`http://${registry}/v2/${repository}/manifests/${tag}`, {
    method: 'PUT',
    headers: { 'Content-Type': MANIFEST_LIST },
    body: JSON.stringify({ schemaVersion: 2, mediaType: MANIFEST_LIST, manifests }),
  });
  if (put.status !== 201) throw new Error(`PUT the manifest list ${repository}:${tag}: ${put.status} ${await put.text()}`);
  return `${registry}/${repository}:${tag}`;
}
