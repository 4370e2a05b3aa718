/** The real docker CLI against the test engine, for arranging and confirming from outside Berth. */
import { randomBytes } from 'node:crypto';
import { dockerCli } from '../engine/testing/test-images.js';

export { BUSYBOX_IMAGE, NO_SHELL_IMAGE } from '../engine/testing/test-images.js';

export function docker(...args: string[]): Promise<string> {
  return dockerCli(process.env.BERTH_DOCKER_HOST!, args);
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

export async function isRunning(name: string): Promise<boolean> {
  return (await docker('inspect', '-f', '{{.State.Running}}', name)) === 'true';
}

/** The shells running inside a container, as `ps` inside it sees them. */
export async function shellsIn(name: string): Promise<string[]> {
  const table = await docker('exec', name, 'ps', '-o', 'pid,args');
  return table
    .split('\n')
    .slice(1)
    .map((line) => line.trim())
    .filter((line) => /\s(\/bin\/)?(ba)?sh(\s|$)/.test(line));
}
