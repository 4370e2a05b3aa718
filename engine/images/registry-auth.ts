/**
 * Registry logins: checked with the engine (POST /auth, which asks the registry), saved in a
 * CredentialStore, and handed to the engine per pull or push (the X-Registry-Auth header). Secrets
 * never leave this module except in that header.
 */
import type Dockerode from 'dockerode';
import type { CredentialStore } from './credential-store.js';
import { EngineError } from '../core/index.js';
import { DEFAULT_REGISTRY, normalizeRegistryAddress } from './image-reference.js';
import type { RegistryLogin } from './image-types.js';
import { toRegistryError } from './registry-errors.js';

/** What dockerode turns into the X-Registry-Auth header. */
export interface EngineAuthConfig {
  username?: string;
  password?: string;
  serveraddress?: string;
}

/** Docker Hub is addressed by its historical index URL in auth configs; others by host[:port]. */
export function serverAddress(registry: string): string {
  return registry === DEFAULT_REGISTRY ? 'https://index.docker.io/v1/' : registry;
}

export class RegistryAuth {
  constructor(
    private readonly docker: () => Dockerode,
    private readonly store: CredentialStore,
  ) {}

  /** Checks the credentials with the registry (through the engine) and saves them only if they work. */
  async login(registryInput: string, username: string, password: string): Promise<RegistryLogin> {
    const registry = normalizeRegistryAddress(registryInput);
    if (username.trim() === '') throw new EngineError('invalid-argument', 'A user name is required.');
    if (password === '') throw new EngineError('invalid-argument', 'A password is required.');
    try {
      await this.docker().checkAuth({ username, password, serveraddress: serverAddress(registry) });
    } catch (error) {
      throw toRegistryError(error, 'login', registry);
    }
    await this.store.set(registry, { username, password });
    return { registry, username };
  }

  async logout(registryInput: string): Promise<void> {
    await this.store.delete(normalizeRegistryAddress(registryInput));
  }

  list(): Promise<RegistryLogin[]> {
    return this.store.list();
  }

  /**
   * The auth config for a registry: the saved login, or an empty one (the engine wants the header even
   * for anonymous pushes). A store that cannot be read must not block pulls of public images.
   */
  async authFor(registry: string): Promise<EngineAuthConfig> {
    const saved = await this.store.get(registry).catch(() => null);
    return saved ? { username: saved.username, password: saved.password, serveraddress: serverAddress(registry) } : {};
  }
}
