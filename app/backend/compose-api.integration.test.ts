/**
 * Compose through the whole API path (typed client, ApiSession's validation, the implementation, the
 * compose plugin) against the private dockerd: a two-service file comes up with its progress and
 * shows as one project, Down removes it (with compose while the file exists, directly once it is
 * gone), and the bad inputs get their sentence: a missing file, a file that is not a compose file,
 * broken YAML (compose's own message), a project name another file uses.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { uniqueName } from '../../engine/testing/names.js';
import { BUSYBOX_IMAGE } from '../../engine/testing/test-images.js';
import { waitFor } from '../../engine/testing/wait-for.js';
import type { BerthClient } from '../contract/client.js';
import type { ComposeUpProgress } from '../contract/compose-contract.js';
import { isBerthApiError } from '../contract/errors.js';
import { composeToolFor } from '../composition/compose-tool.js';
import { createBerthImplementation } from './berth-api.js';
import { createEngineServices, type EngineServices } from './engine-services.js';
import { createInMemoryLink } from './testing/in-memory-link.js';

const socketPath = inject('socketPath');
const projectRoot = join(import.meta.dirname, '..', '..');

const service = (name: string) =>
  `  ${name}:\n    image: ${BUSYBOX_IMAGE}\n    pull_policy: never\n    command: ["sleep", "3600"]\n    stop_signal: SIGKILL\n`;

/** Runs `compose.up` to its end: the items, or the API error's message. */
function up(api: BerthClient, file: string, projectName: string | null) {
  return new Promise<{ items: ComposeUpProgress[]; error: string | null }>((resolve) => {
    const items: ComposeUpProgress[] = [];
    api.compose.up(
      { file, projectName },
      {
        next: (item) => void items.push(item),
        error: (error) => resolve({ items, error: error.message }),
        complete: () => resolve({ items, error: null }),
      },
    );
  });
}

describe('compose projects over the API (real dockerd, the compose plugin)', () => {
  let services: EngineServices;
  let api: BerthClient;
  const dir = mkdtempSync(join(tmpdir(), 'berth-compose-api-'));
  const project = uniqueName('compose')
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '');
  const file = join(dir, 'compose.yaml');

  const projectContainers = async (name: string) =>
    (await api.containers.list({})).filter((container) => container.composeProject === name);

  beforeAll(async () => {
    const endpoint = { kind: 'unix', socketPath } as const;
    services = createEngineServices(endpoint, {
      composeTool: composeToolFor(
        projectRoot,
        () => ({ kind: 'external', description: socketPath }),
        () => endpoint,
      ),
    });
    await waitFor('the engine connection', () => services.connection.state.kind === 'connected');
    api = createInMemoryLink(createBerthImplementation(services)).client;
    writeFileSync(file, `services:\n${service('web')}${service('worker')}`);
  });

  afterAll(async () => {
    await api.compose.down({ project }).catch(() => undefined);
    await services.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it("brings a two-service file up with compose's progress, and takes it down with compose", async () => {
    const { items, error } = await up(api, file, project);
    expect(error).toBeNull();
    expect(items.at(-1)).toEqual({ kind: 'done', project });
    expect(items).toContainEqual({ kind: 'step', object: 'Container', name: `${project}-web-1`, status: 'Started' });
    expect(items).toContainEqual({ kind: 'step', object: 'Container', name: `${project}-worker-1`, status: 'Started' });
    const containers = await projectContainers(project);
    expect(containers.map((container) => [container.composeService, container.state]).sort()).toEqual([
      ['web', 'running'],
      ['worker', 'running'],
    ]);

    // The same file again is the same project: no conflict, nothing to do.
    expect((await up(api, file, project)).error).toBeNull();
    expect(await api.compose.restart({ project })).toBe('compose');

    expect(await api.compose.down({ project })).toBe('compose');
    expect(await projectContainers(project)).toEqual([]);
  });

  it('removes the containers of a project whose file is gone', async () => {
    const gone = join(mkdtempSync(join(tmpdir(), 'berth-compose-gone-')), 'compose.yaml');
    writeFileSync(gone, `services:\n${service('solo')}`);
    const name = `${project}-gone`;
    expect((await up(api, gone, name)).error).toBeNull();
    rmSync(gone);
    expect(await api.compose.down({ project: name })).toBe('removed');
    expect(await projectContainers(name)).toEqual([]);
  });

  it('refuses a missing file, a file that is not a compose file, and a name another file uses; relays broken YAML', async () => {
    expect((await up(api, join(dir, 'missing.yaml'), null)).error).toBe(
      `There is no file at ${join(dir, 'missing.yaml')}. Check the path: it is a path on this computer.`,
    );
    const notes = join(dir, 'notes.txt');
    writeFileSync(notes, 'shopping: milk\n');
    expect((await up(api, notes, null)).error).toBe(`${notes} is not a compose file: it has no top-level "services:" section.`);

    const broken = join(dir, 'broken.yaml');
    writeFileSync(broken, 'services:\n  web:\n    image: [unclosed\n');
    const brokenUp = await up(api, broken, `${project}-broken`);
    expect(brokenUp.error).toMatch(/yaml/i);
    expect(brokenUp.items.some((item) => item.kind === 'done')).toBe(false);

    const other = join(mkdtempSync(join(tmpdir(), 'berth-compose-other-')), 'compose.yaml');
    writeFileSync(other, `services:\n${service('web')}`);
    const taken = `${project}-taken`;
    expect((await up(api, file, taken)).error).toBeNull();
    try {
      const conflict = await up(api, other, taken);
      expect(conflict.error).toBe(
        `The project name ${taken} is already used by ${file}. Choose another project name, or bring that project down first.`,
      );
      expect((await projectContainers(taken)).map((container) => container.composeService).sort()).toEqual(['web', 'worker']);
    } finally {
      await api.compose.down({ project: taken });
    }
    // The contract's own check, before anything runs.
    const invalid = await up(api, file, 'Not A Name');
    expect(invalid.error).toMatch(/lower-case letters/);
  });

  it('says there is no such project', async () => {
    const error = await api.compose.down({ project: `${project}-never` }).catch((caught: unknown) => caught);
    expect(isBerthApiError(error) && error.message).toBe(`There is no compose project named ${project}-never.`);
  });
});
