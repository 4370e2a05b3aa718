/**
 * The secrets Berth keeps on this computer, for redaction: the body of every private key in its state
 * folder (TLS material of the VM, a private engine's keys), and every saved registry login's password.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { CredentialStore } from '../../engine/images/index.js';
import { pemSecrets, type Secret } from './redaction.js';

const MAX_DEPTH = 4;
const MAX_KEY_FILE_BYTES = 64 * 1024;

/** Private keys under `dir` (*.pem, *.key, files named like a key), a few folders deep; never the VM's disk. */
export function privateKeySecrets(dir: string, depth = 0): Secret[] {
  let names: fs.Dirent[];
  try {
    names = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const found: Secret[] = [];
  for (const entry of names) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory() && depth < MAX_DEPTH) found.push(...privateKeySecrets(full, depth + 1));
    if (!entry.isFile() || !/\.(pem|key)$|key/i.test(entry.name)) continue;
    try {
      if (fs.statSync(full).size > MAX_KEY_FILE_BYTES) continue;
      const text = fs.readFileSync(full, 'utf8');
      if (text.includes('PRIVATE KEY')) found.push(...pemSecrets(`the private key ${entry.name}`, text));
      else if (/key$/i.test(entry.name)) found.push({ label: `the key file ${entry.name}`, value: text.trim() });
    } catch {
      // unreadable: nothing of it can leak either
    }
  }
  return found;
}

export async function registrySecrets(store: CredentialStore): Promise<Secret[]> {
  const secrets: Secret[] = [];
  for (const login of await store.list()) {
    const credentials = await store.get(login.registry).catch(() => null);
    if (credentials?.password) secrets.push({ label: `the password for ${login.registry}`, value: credentials.password });
  }
  return secrets;
}
