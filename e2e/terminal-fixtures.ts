/**
 * What the terminal specs share: containers made for a test, and the check that runs after every
 * test that made any: no shell Berth started may be left in them, and no debug helper anywhere.
 */
import { randomBytes } from 'node:crypto';
import { expect, test as base } from '@playwright/test';
import { docker, isRunning, uniqueName } from './docker-cli.js';

/** `docker run -d --name <prefix-random> ...args`: the container's name. It is checked and removed after the test. */
export type RunContainer = (prefix: string, ...args: string[]) => Promise<string>;

/**
 * The shells in a container other than its main process, counted by the engine (`docker top`), so a
 * container without a `ps` of its own (or any shell) is counted too.
 */
export async function extraShells(name: string): Promise<string[]> {
  const mainPid = await docker('inspect', '-f', '{{.State.Pid}}', name);
  return (await docker('top', name, '-eo', 'pid,args'))
    .split('\n')
    .slice(1)
    .map((line) => line.trim())
    .filter((line) => !line.startsWith(`${mainPid} `) && /^\d+\s+(\S*\/)?(ba)?sh(\s|$)/.test(line));
}

/** A word split by quotes: the TTY's echo of the typed line has the quotes, only the output has it whole. */
export function wordAndCommand(prefix: string): [string, string] {
  const word = `${prefix}${randomBytes(4).toString('hex')}`;
  return [word, `echo ${word.slice(0, 4)}""${word.slice(4)}\n`];
}

export const test = base.extend<{ runContainer: RunContainer }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright reads the fixtures a fixture needs from this pattern
  runContainer: async ({}, use) => {
    const created: string[] = [];
    await use(async (prefix, ...args) => {
      const name = uniqueName(prefix);
      created.push(name);
      await docker('run', '-d', '--name', name, ...args);
      return name;
    });
    for (const name of created) {
      if (await isRunning(name).catch(() => false)) {
        await expect.poll(() => extraShells(name), { timeout: 10_000, message: `orphan shells in ${name}` }).toEqual([]);
      }
      await docker('rm', '-f', name).catch(() => undefined);
    }
    expect(await docker('ps', '-aq', '--filter', 'label=dev.berth.debug-for'), 'debug helpers left behind').toBe('');
  },
});

export { expect };
