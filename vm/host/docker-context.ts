/**
 * A docker CLI context named `berth` that points at the VM's host socket, so `docker --context berth …`
 * (or `docker context use berth`, the user's choice) reaches the VM. Created or updated through the CLI
 * itself, so its own config layout (DOCKER_CONFIG, ~/.docker/contexts/meta/<hash>) is respected. The
 * user's current context is never switched. No CLI installed is a note, not an error: the socket
 * works with DOCKER_HOST alone.
 */
import { execFile } from 'node:child_process';

export interface DockerContextOptions {
  /** Context name; `berth` unless a test or a second installation wants another. */
  name?: string;
  /** The CLI's environment (DOCKER_CONFIG picks the config directory); process.env by default. */
  env?: NodeJS.ProcessEnv;
  /** The CLI to run; `docker` on PATH by default. */
  cli?: string;
}

export type DockerContextResult =
  { status: 'created' | 'updated' | 'unchanged'; name: string; host: string } | { status: 'skipped'; name: string; note: string };

export const DEFAULT_CONTEXT_NAME = 'berth';
const CLI_TIMEOUT_MS = 15_000;

interface CliOutcome {
  code: number | string | null;
  stdout: string;
  stderr: string;
}

/** The CLI's arguments for each step; pure, so the exact commands are tested without a CLI. */
export function contextCommands(name: string, host: string) {
  const description = 'Berth: the engine in the Berth VM';
  return {
    inspect: ['context', 'inspect', name, '--format', '{{.Endpoints.docker.Host}}'],
    create: ['context', 'create', name, '--description', description, '--docker', `host=${host}`],
    update: ['context', 'update', name, '--description', description, '--docker', `host=${host}`],
  };
}

/** Makes context `name` point at host (e.g. unix:///…/docker.sock), creating it if it does not exist. */
export async function ensureDockerContext(host: string, options: DockerContextOptions = {}): Promise<DockerContextResult> {
  const name = options.name ?? DEFAULT_CONTEXT_NAME;
  const cli = options.cli ?? 'docker';
  const env = withoutContextOverrides(options.env ?? process.env);
  const commands = contextCommands(name, host);
  const inspect = await runCli(cli, commands.inspect, env);
  if (inspect.code === 'ENOENT') {
    return {
      status: 'skipped',
      name,
      note: `The docker CLI was not found, so no "${name}" context was made; use DOCKER_HOST=${host}.`,
    };
  }
  if (inspect.code === 0 && inspect.stdout.trim() === host) return { status: 'unchanged', name, host };
  const step = inspect.code === 0 ? 'update' : 'create';
  const result = await runCli(cli, commands[step], env);
  if (result.code !== 0) {
    const reason = (result.stderr.trim() || String(result.code)).split('\n')[0];
    return { status: 'skipped', name, note: `docker context ${step} ${name} failed (${reason}); use DOCKER_HOST=${host}.` };
  }
  return { status: step === 'create' ? 'created' : 'updated', name, host };
}

/**
 * DOCKER_HOST and DOCKER_CONTEXT override the context being edited for some CLI versions' commands
 * (and make them print warnings); the context store is chosen by DOCKER_CONFIG, which is kept.
 */
function withoutContextOverrides(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const copy = { ...env };
  delete copy.DOCKER_HOST;
  delete copy.DOCKER_CONTEXT;
  return copy;
}

function runCli(cli: string, args: string[], env: NodeJS.ProcessEnv): Promise<CliOutcome> {
  return new Promise((resolve) => {
    execFile(cli, args, { env, timeout: CLI_TIMEOUT_MS }, (error, stdout, stderr) => {
      // A non-zero exit gives its number in error.code; a CLI that cannot be spawned gives 'ENOENT'.
      const code = error ? ((error as { code?: number | string | null }).code ?? 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}
