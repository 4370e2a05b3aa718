/**
 * The real docker CLI as a person uses it with Berth: through the `berth` context, with its own config
 * folder (where VmService puts that context: pass `env` as its dockerContext option's env) and none of
 * the test run's DOCKER_HOST or DOCKER_CONTEXT.
 */
import { spawn } from 'node:child_process';

export interface ContextCliRun {
  input?: Buffer | string;
  cwd?: string;
  /** false: without `--context berth`, i.e. the CLI's own current context. */
  viaBerth?: boolean;
}

export interface ContextCli {
  readonly cli: string;
  readonly env: NodeJS.ProcessEnv;
  /** `docker --context berth ARGS`: its stdout, trimmed; a rejection with its stderr when it fails. */
  readonly run: (args: string[], options?: ContextCliRun) => Promise<string>;
}

export function contextCli(dockerConfig: string, cli = 'docker'): ContextCli {
  const env: NodeJS.ProcessEnv = { ...process.env, DOCKER_CONFIG: dockerConfig };
  delete env.DOCKER_HOST;
  delete env.DOCKER_CONTEXT;
  const run = (args: string[], options: ContextCliRun = {}): Promise<string> =>
    new Promise((resolve, reject) => {
      const contextArgs = options.viaBerth === false ? [] : ['--context', 'berth'];
      const child = spawn(cli, [...contextArgs, ...args], { env, cwd: options.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('error', reject);
      child.on('close', (code) =>
        code === 0 ? resolve(stdout.trim()) : reject(new Error(`docker ${args.join(' ')} (${code}): ${stderr.trim()}`)),
      );
      child.stdin.on('error', () => undefined);
      child.stdin.end(options.input ?? '');
    });
  return { cli, env, run };
}
