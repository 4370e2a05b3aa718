// Volumes: create, remove, prune, and browsing their files through a helper container.
export { VolumeBrowser } from './volume-browser.js';
export { type VolumeUsage } from './volume-detail-types.js';
export { VolumeService } from './volume-service.js';
export { type VolumeImport, VolumeTransfers } from './volume-transfer.js';
