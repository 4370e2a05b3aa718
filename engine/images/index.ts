// Images: list, pull, push, build, run, tag, remove, transfer progress, registry logins and their credentials.
export {
  createKeyFileCredentialStore,
  type CredentialStore,
  EncryptedFileCredentialStore,
  type SecretCipher,
} from './credential-store.js';
export { parseImageReference } from './image-reference.js';
export { ImageService } from './image-service.js';
export { type TransferProgress } from './image-types.js';
