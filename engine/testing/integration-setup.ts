/** vitest globalSetup: one private dockerd and the local test images for all integration tests. */
import type {} from 'vitest';
import type { TestProject } from 'vitest/node';
import { startLocalDockerd, type LocalDockerd } from './local-dockerd.js';
import { buildTestImages } from './test-images.js';

let dockerd: LocalDockerd | undefined;

declare module 'vitest' {
  export interface ProvidedContext {
    dockerHost: string;
    socketPath: string;
  }
}

export async function setup(project: TestProject): Promise<void> {
  dockerd = await startLocalDockerd();
  await buildTestImages(dockerd.dockerHost);
  project.provide('dockerHost', dockerd.dockerHost);
  project.provide('socketPath', dockerd.socketPath);
}

export async function teardown(): Promise<void> {
  await dockerd?.stop();
}
