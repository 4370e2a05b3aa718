import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createKeyFileCredentialStore,
  EncryptedFileCredentialStore,
  KeyFileCipher,
  MemoryCredentialStore,
} from './credential-store.js';

const dirs: string[] = [];
function stateDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'berth-creds-'));
  dirs.push(dir);
  return join(dir, 'state', 'berth');
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const PASSWORD = 'correct horse battery staple';

describe('the key-file credential store', () => {
  it('keeps logins across instances, listing them without secrets', async () => {
    const dir = stateDir();
    await createKeyFileCredentialStore(dir).set('127.0.0.1:5000', { username: 'alice', password: PASSWORD });
    await createKeyFileCredentialStore(dir).set('registry.example.com', { username: 'bob', password: 'pw' });
    const store = createKeyFileCredentialStore(dir);
    expect(await store.get('127.0.0.1:5000')).toEqual({ username: 'alice', password: PASSWORD });
    expect(await store.list()).toEqual([
      { registry: '127.0.0.1:5000', username: 'alice' },
      { registry: 'registry.example.com', username: 'bob' },
    ]);
    await store.delete('127.0.0.1:5000');
    expect(await store.get('127.0.0.1:5000')).toBeNull();
  });

  it('never writes a secret in plain text, and keeps key and logins private', async () => {
    const dir = stateDir();
    await createKeyFileCredentialStore(dir).set('127.0.0.1:5000', { username: 'alice', password: PASSWORD });
    for (const name of readdirSync(dir)) {
      const content = readFileSync(join(dir, name));
      expect(content.includes(Buffer.from(PASSWORD)), name).toBe(false);
      expect(content.includes(Buffer.from('alice')), name).toBe(false);
      expect(statSync(join(dir, name)).mode & 0o777, name).toBe(0o600);
    }
    expect(readdirSync(dir).sort()).toEqual(['credentials.key', 'registry-logins.sealed']);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  });

  it('refuses a tampered file with a reason, and a new login replaces it', async () => {
    const dir = stateDir();
    const store = createKeyFileCredentialStore(dir);
    await store.set('r1', { username: 'alice', password: PASSWORD });
    const file = join(dir, 'registry-logins.sealed');
    const sealed = readFileSync(file);
    sealed[sealed.length - 1]! ^= 0xff;
    writeFileSync(file, sealed);
    await expect(store.get('r1')).rejects.toThrow(/cannot be decrypted.*log in again/);
    await store.set('r2', { username: 'bob', password: 'pw' });
    expect(await store.list()).toEqual([{ registry: 'r2', username: 'bob' }]);
  });

  it('cannot be opened with another key', async () => {
    const dir = stateDir();
    await createKeyFileCredentialStore(dir).set('r1', { username: 'alice', password: PASSWORD });
    const otherKey = join(stateDir(), 'other.key');
    const store = new EncryptedFileCredentialStore(dir, new KeyFileCipher(otherKey));
    await expect(store.list()).rejects.toThrow(/cannot be decrypted/);
  });

  it('keeps concurrent logins', async () => {
    const store = createKeyFileCredentialStore(stateDir());
    await Promise.all(Array.from({ length: 5 }, (_, index) => store.set(`r${index}`, { username: `u${index}`, password: 'pw' })));
    expect(await store.list()).toHaveLength(5);
  });
});

describe('MemoryCredentialStore', () => {
  it('holds logins for the process', async () => {
    const store = new MemoryCredentialStore();
    await store.set('r', { username: 'u', password: 'p' });
    expect(await store.list()).toEqual([{ registry: 'r', username: 'u' }]);
  });
});
