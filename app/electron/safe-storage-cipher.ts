/**
 * Registry logins in the Electron app: sealed by the OS keychain (safeStorage: Keychain on macOS,
 * DPAPI on Windows, libsecret/kwallet on Linux) instead of a key file. Where safeStorage has no
 * keychain to use (a Linux session without one), the key-file store is kept, as in browser mode.
 */
import { safeStorage } from 'electron';
import {
  createKeyFileCredentialStore,
  EncryptedFileCredentialStore,
  type CredentialStore,
  type SecretCipher,
} from '../../engine/images/index.js';

const safeStorageCipher: SecretCipher = {
  encrypt: async (plain) => safeStorage.encryptString(plain.toString('utf8')),
  decrypt: async (sealed) => Buffer.from(safeStorage.decryptString(sealed), 'utf8'),
};

/** Call after app 'ready' (safeStorage is not usable before). */
export function createElectronCredentialStore(stateDir: string): CredentialStore {
  // 'basic_text' is Chromium's fallback that only obfuscates: not encryption at rest.
  const usable = safeStorage.isEncryptionAvailable() && safeStorage.getSelectedStorageBackend?.() !== 'basic_text';
  if (!usable) return createKeyFileCredentialStore(stateDir);
  return new EncryptedFileCredentialStore(stateDir, safeStorageCipher, 'registry-logins.keychain');
}
