/** What the volume detail shows besides the list's summary: size, users, files. Plain data for the contract. */

/** A container that mounts the volume. */
export interface VolumeUser {
  id: string;
  name: string;
  state: string;
  /** Where the volume is mounted in that container. */
  destination: string;
  readOnly: boolean;
}

export interface VolumeUsage {
  /** Bytes used, or null when the volume's driver does not report sizes. */
  size: number | null;
  /** How many containers reference it, or null when the engine does not say. */
  refCount: number | null;
}

export type VolumeEntryType = 'file' | 'directory' | 'symlink' | 'other';

export interface VolumeEntry {
  name: string;
  type: VolumeEntryType;
  size: number;
  /** Seconds since the epoch. */
  modified: number;
  /** "rwxr-xr-x" style. */
  permissions: string;
  uid: number;
  gid: number;
}

export interface VolumeListing {
  /** The directory listed, relative to the volume's root, starting with "/". */
  path: string;
  entries: VolumeEntry[];
  /** True when the directory had more entries than are shown. */
  truncated: boolean;
}

export interface VolumeFilePreview {
  path: string;
  size: number;
  /** The start of the file as text, or null when it is not text. */
  text: string | null;
  /** True when the file is longer than the preview. */
  truncated: boolean;
}
