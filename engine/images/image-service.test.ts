import type Dockerode from 'dockerode';
import { describe, expect, it } from 'vitest';
import { ImageSummarySchema } from '../../app/contract/schemas.js';
import { blockingContainerId, toImageSummary } from './image-service.js';

function imageInfo(overrides: Partial<Dockerode.ImageInfo> = {}): Dockerode.ImageInfo {
  return {
    Id: 'sha256:bbbb',
    ParentId: '',
    RepoTags: ['busybox:latest'],
    Created: 1_700_000_000,
    Size: 4_261_000,
    VirtualSize: 4_261_000,
    SharedSize: -1,
    Labels: {},
    Containers: 2,
    ...overrides,
  };
}

describe('toImageSummary', () => {
  it('maps the engine fields', () => {
    expect(toImageSummary(imageInfo())).toEqual({
      id: 'sha256:bbbb',
      repoTags: ['busybox:latest'],
      size: 4_261_000,
      created: 1_700_000_000,
      containers: 2,
      platform: null,
    });
    expect(toImageSummary(imageInfo(), 'linux/arm64').platform).toBe('linux/arm64');
    expect(ImageSummarySchema.safeParse(toImageSummary(imageInfo())).success).toBe(true);
  });

  it('shows a dangling image with no tags instead of "<none>:<none>"', () => {
    expect(toImageSummary(imageInfo({ RepoTags: ['<none>:<none>'] })).repoTags).toEqual([]);
    expect(toImageSummary(imageInfo({ RepoTags: undefined })).repoTags).toEqual([]);
  });

  it('reports -1 containers when the engine did not count', () => {
    const info = imageInfo();
    delete (info as Partial<Dockerode.ImageInfo>).Containers;
    expect(toImageSummary(info).containers).toBe(-1);
  });
});

describe('blockingContainerId', () => {
  it("finds the container id in the engine's conflict message", () => {
    const message =
      'conflict: unable to remove repository reference "busybox:latest" (must force) - container 3f4e5d6c7b8a is using its referenced image 1a2b3c4d5e6f';
    expect(blockingContainerId(message)).toBe('3f4e5d6c7b8a');
  });

  it('finds a full 64-character id', () => {
    const id = 'a'.repeat(64);
    expect(blockingContainerId(`unable to delete 1a2b (cannot be forced) - image is being used by running container ${id}`)).toBe(
      id,
    );
  });

  it('returns null when no container is named', () => {
    expect(
      blockingContainerId(
        'conflict: unable to delete 1a2b3c4d5e6f (must be forced) - image is referenced in multiple repositories',
      ),
    ).toBeNull();
  });
});
