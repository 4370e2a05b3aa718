/** vitest globalSetup: one private dockerd and the local test images for all integration tests. */
import type {} from 'vitest';
import type { TestProject } from 'vitest/node';
import { startLocalDockerd, type LocalDockerd } from '../dockerd/index.js';
import { startLocalRegistry, type LocalRegistry } from './local-registry.js';
import { buildTestImages } from './test-images.js';

let dockerd: LocalDockerd | undefined;
let registry: LocalRegistry | undefined;

declare module 'vitest' {
  export interface ProvidedContext {
    dockerHost: string;
    socketPath: string;
    /** host:port of a private registry (no login) for pull and push tests. */
    registry: string;
  }
}

export async function setup(project: TestProject): Promise<void> {
  dockerd = await startLocalDockerd();
  await buildTestImages(dockerd.dockerHost);
  project.provide('dockerHost', dockerd.dockerHost);
  project.provide('socketPath', dockerd.socketPath);
  registry = await startLocalRegistry();
  project.provide('registry', registry.address);
}

export async function teardown(): Promise<void> {
  await registry?.stop();
  await dockerd?.stop();
}
