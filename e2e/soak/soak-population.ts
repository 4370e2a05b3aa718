/**
 * The soak's containers, made up front on its own engine: loggers that print a few lines a second
 * (their logs are followed), quiet ones for terminals, and the rest created and never started, as a
 * host full of old containers is. Made through the engine's API, 6 at a time: this is set-up, not load.
 */
import Dockerode from 'dockerode';
import { BUSYBOX_IMAGE } from '../../engine/testing/test-images.js';

export interface Population {
  loggers: string[];
  shells: string[];
  idle: string[];
}

const LOGGER_SCRIPT =
  'trap "exit 0" TERM; i=0; while :; do i=$((i+1)); for k in 1 2 3 4 5; do echo "soak $i.$k"; done; sleep 1; done';

async function inParallel<T>(items: readonly T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: width }, worker));
}

const names = (prefix: string, count: number) =>
  Array.from({ length: count }, (_, i) => `${prefix}-${String(i).padStart(String(count - 1).length, '0')}`);

export async function createPopulation(
  socketPath: string,
  counts: { containers: number; loggers: number; shells: number },
): Promise<Population> {
  const docker = new Dockerode({ socketPath });
  const population: Population = {
    loggers: names('soak-log', counts.loggers),
    shells: names('soak-term', counts.shells),
    idle: names('soak-idle', counts.containers - counts.loggers - counts.shells),
  };
  const create = (name: string, cmd: string[]) => docker.createContainer({ name, Image: BUSYBOX_IMAGE, Cmd: cmd });
  await inParallel(population.idle, 6, async (name) => void (await create(name, ['true'])));
  await inParallel(population.loggers, 6, async (name) => {
    await (await create(name, ['sh', '-c', LOGGER_SCRIPT])).start();
  });
  // busybox sleep as PID 1 ignores SIGTERM; these are only ever removed with the engine.
  await inParallel(population.shells, 6, async (name) => {
    await (await create(name, ['sleep', '86400'])).start();
  });
  return population;
}

/**
 * Kills every running container at once, so that the engine stops in a moment: on its own it would
 * give each its 10 s of grace (busybox's sleep as PID 1 ignores SIGTERM), past the 30 s the private
 * dockerd is given before a SIGKILL that leaves its mounts behind.
 */
export async function killAll(socketPath: string): Promise<void> {
  const docker = new Dockerode({ socketPath });
  const running = await docker.listContainers();
  await inParallel(running, 8, async (container) => {
    await docker
      .getContainer(container.Id)
      .kill()
      .catch(() => undefined); // exited meanwhile
  });
}

/** `docker ps -a` as names and states (the CLI's own view, not Berth's). */
export function parsePsTable(output: string): Array<{ name: string; state: string }> {
  return output
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [name, state] = line.split('\t');
      return { name: name!, state: state! };
    });
}
