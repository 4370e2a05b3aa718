// What containers and volumes share for files: tar reading and writing, Unix file modes, the busybox helper image.
export { permissionString } from './file-modes.js';
export { ensureHelperImage, HELPER_IMAGE, readHostBusybox } from './helper-image.js';
export { type TarHeader, TarReader } from './tar-reader.js';
export { createTar, type TarEntry } from './tar-writer.js';
export { inspectTarStart, TAR_BLOCK, type TarRootEntry, type TarStart } from './tar-start.js';
