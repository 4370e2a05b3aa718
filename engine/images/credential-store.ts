/**
 * Where registry logins are kept. Secrets are encrypted at rest, never written in plain text: the
 * store seals one JSON document with a SecretCipher. Browser mode (and any plain Node process) uses
 * KeyFileCipher, AES-256-GCM with a random key in a 0600 file in Berth's state dir; the Electron app
 * passes a cipher over the OS keychain (safeStorage, app/electron/safe-storage-cipher.ts) instead.
 * engine/ never imports electron: the cipher is handed in.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EngineError } from '../core/index.js';
import type { RegistryLogin } from './image-types.js';

export interface RegistryCredentials {
  username: string;
  password: string;
}

export interface CredentialStore {
  get(registry: string): Promise<RegistryCredentials | null>;
  set(registry: string, credentials: RegistryCredentials): Promise<void>;
  delete(registry: string): Promise<void>;
  /** Every saved login, without secrets. */
  list(): Promise<RegistryLogin[]>;
}

export interface SecretCipher {
  encrypt(plain: Buffer): Promise<Buffer>;
  decrypt(sealed: Buffer): Promise<Buffer>;
}

/** For tests and for an app without a state dir: logins last as long as the process. */
export class MemoryCredentialStore implements CredentialStore {
  private readonly logins = new Map<string, RegistryCredentials>();
  async get(registry: string) {
    return this.logins.get(registry) ?? null;
  }
  async set(registry: string, credentials: RegistryCredentials) {
    this.logins.set(registry, { ...credentials });
  }
  async delete(registry: string) {
    this.logins.delete(registry);
  }
  async list() {
    return [...this.logins].map(([registry, { username }]) => ({ registry, username }));
  }
}

const FORMAT_VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
// Binds the ciphertext to its purpose: a sealed blob from another Berth file cannot be swapped in.
const ASSOCIATED_DATA = Buffer.from('berth registry credentials v1');

async function writePrivateFile(path: string, data: Buffer | string): Promise<void> {
  // Written beside and renamed over, so a crash never leaves half a file.
  const temporary = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temporary, data, { mode: 0o600 });
  await chmod(temporary, 0o600); // the umask can narrow `mode` but never widen it; this pins it
  await rename(temporary, path);
}

/** AES-256-GCM with a random key kept in a file only its owner can read. */
export class KeyFileCipher implements SecretCipher {
  private key: Promise<Buffer> | undefined;

  constructor(private readonly keyFile: string) {}

  private loadKey(): Promise<Buffer> {
    this.key ??= (async () => {
      try {
        const key = await readFile(this.keyFile);
        if (key.length === 32) return key;
        throw new EngineError('engine-error', `The credentials key ${this.keyFile} is damaged; delete it and log in again.`);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        const key = randomBytes(32);
        await writePrivateFile(this.keyFile, key);
        return key;
      }
    })();
    return this.key;
  }

  async encrypt(plain: Buffer): Promise<Buffer> {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', await this.loadKey(), iv);
    cipher.setAAD(ASSOCIATED_DATA);
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    return Buffer.concat([Buffer.from([FORMAT_VERSION]), iv, cipher.getAuthTag(), body]);
  }

  async decrypt(sealed: Buffer): Promise<Buffer> {
    if (sealed.length < 1 + IV_BYTES + TAG_BYTES || sealed[0] !== FORMAT_VERSION) throw new Error('unknown format');
    const iv = sealed.subarray(1, 1 + IV_BYTES);
    const tag = sealed.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', await this.loadKey(), iv);
    decipher.setAAD(ASSOCIATED_DATA);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(sealed.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]);
  }
}

type Logins = Record<string, RegistryCredentials>;

/** Logins sealed in one file (0600) in a directory only the owner can enter (0700). */
export class EncryptedFileCredentialStore implements CredentialStore {
  private readonly file: string;
  // One operation at a time, so two logins never write over each other's change.
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly dir: string,
    private readonly cipher: SecretCipher,
    fileName = 'registry-logins.sealed',
  ) {
    this.file = join(dir, fileName);
  }

  private serialize<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.queue.then(operation, operation);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async load(): Promise<Logins> {
    let sealed: Buffer;
    try {
      sealed = await readFile(this.file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw error;
    }
    try {
      const document = JSON.parse((await this.cipher.decrypt(sealed)).toString('utf8')) as { logins?: Logins };
      return document.logins ?? {};
    } catch (error) {
      throw new EngineError(
        'engine-error',
        `The saved registry logins in ${this.file} cannot be decrypted (${(error as Error).message}); log in again to replace them.`,
      );
    }
  }

  private async save(logins: Logins): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const sealed = await this.cipher.encrypt(Buffer.from(JSON.stringify({ version: FORMAT_VERSION, logins })));
    await writePrivateFile(this.file, sealed);
  }

  get(registry: string) {
    return this.serialize(async () => (await this.load())[registry] ?? null);
  }

  set(registry: string, credentials: RegistryCredentials) {
    return this.serialize(async () => {
      // Unreadable logins (a lost key) are replaced rather than blocking every new login.
      const logins = await this.load().catch((): Logins => ({}));
      await this.save({ ...logins, [registry]: { username: credentials.username, password: credentials.password } });
    });
  }

  delete(registry: string) {
    return this.serialize(async () => {
      const logins = await this.load();
      if (!(registry in logins)) return;
      delete logins[registry];
      await this.save(logins);
    });
  }

  list() {
    return this.serialize(async () =>
      Object.entries(await this.load())
        .map(([registry, { username }]) => ({ registry, username }))
        .sort((a, b) => a.registry.localeCompare(b.registry)),
    );
  }
}

/** The browser-mode store: sealed with a key file, both in Berth's state dir. */
export function createKeyFileCredentialStore(stateDir: string): CredentialStore {
  return new EncryptedFileCredentialStore(stateDir, new KeyFileCipher(join(stateDir, 'credentials.key')));
}
