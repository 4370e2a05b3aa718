/**
 * How the app runs compose: the docker-compose CLI plugin (the program `docker compose` runs; it
 * also runs on its own, so Berth needs no docker CLI) pointed at the engine Berth uses. The plugin
 * is the one the user's docker CLI would find (their plugin folder, then the system folders), else
 * Berth's own build (vm/.build/cli-plugins/ARCH, what it installs for the CLI when its VM boots).
 */
import { accessSync, constants, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ComposeTool } from '../../engine/compose/index.js';
import type { EngineEndpoint } from '../../engine/core/index.js';
import { SYSTEM_PLUGIN_DIRS, userPluginDir } from '../../vm/host/cli-plugins.js';
import { guestArchForHost } from '../../vm/qemu/machine-profile.js';
import type { EngineHost } from '../backend/machine-api.js';
import { VM_CLI_PLUGINS_SUBDIR } from './vm-host.js';

const PLUGIN = 'docker-compose';

function runnable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The compose plugin to run, or why there is none. */
export function findComposePlugin(projectRoot: string, env: NodeJS.ProcessEnv = process.env): string | { missing: string } {
  const arch = guestArchForHost();
  const berths = arch ? [join(projectRoot, VM_CLI_PLUGINS_SUBDIR, arch)] : [];
  const candidates = [userPluginDir(env), ...SYSTEM_PLUGIN_DIRS, ...berths].map((dir) => join(dir, PLUGIN));
  return (
    candidates.find(runnable) ?? {
      missing: `docker compose is not installed on this computer, and Berth's own is not built (${berths[0] ?? 'no build for this CPU'}); run npm run vm:image.`,
    }
  );
}

/** DOCKER_HOST (and TLS variables) for the engine Berth uses, or why compose cannot reach it. */
export function engineEnvironment(
  host: EngineHost,
  endpoint: EngineEndpoint,
  env: NodeJS.ProcessEnv = process.env,
): Record<string, string> | string {
  if (host.kind === 'vm') {
    const dockerHost = host.vm.details().dockerHost;
    return dockerHost ? { DOCKER_HOST: dockerHost } : 'The engine VM is not running: start it in the Engine view first.';
  }
  switch (endpoint.kind) {
    case 'unix':
      return { DOCKER_HOST: `unix://${endpoint.socketPath}` };
    case 'npipe':
      return { DOCKER_HOST: `npipe://${endpoint.pipePath}` };
    case 'tcp':
      if (!endpoint.tls) return { DOCKER_HOST: `tcp://${endpoint.host}:${endpoint.port}` };
      // The TLS material came from the environment (DOCKER_CERT_PATH): compose reads it the same way.
      if (env.DOCKER_HOST && env.DOCKER_TLS_VERIFY) {
        return {
          DOCKER_HOST: env.DOCKER_HOST,
          DOCKER_TLS_VERIFY: env.DOCKER_TLS_VERIFY,
          DOCKER_CERT_PATH: env.DOCKER_CERT_PATH ?? '',
        };
      }
      return `Berth reaches ${endpoint.host}:${endpoint.port} over TLS with certificates compose cannot be given.`;
    case 'ssh': {
      // Compose reaches ssh:// engines as the docker CLI does (ssh, then docker system dial-stdio there).
      const user = endpoint.user ? `${endpoint.user}@` : '';
      const port = endpoint.port ? `:${endpoint.port}` : '';
      return { DOCKER_HOST: `ssh://${user}${endpoint.host}${port}` };
    }
  }
}

export function composeToolFor(
  projectRoot: string,
  host: () => EngineHost,
  endpoint: () => EngineEndpoint,
): () => ComposeTool | string {
  return () => {
    const plugin = findComposePlugin(projectRoot);
    if (typeof plugin !== 'string') return plugin.missing;
    const env = engineEnvironment(host(), endpoint());
    return typeof env === 'string' ? env : { plugin, env: { ...env, DOCKER_CONTEXT: '' } };
  };
}
