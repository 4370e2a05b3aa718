/**
 * Windows folders as the engine in WSL sees them. WSL mounts every fixed drive at /mnt/<letter> (its
 * automount; Berth's /etc/wsl.conf keeps the default root), so `docker run -v C:\Users\me\src:/src`
 * becomes a bind mount of /mnt/c/Users/me/src, the same folder. Files inside Berth's own distribution
 * (`\\wsl$\berth\…`, `\\wsl.localhost\berth\…`) are the distribution's own paths. Pure.
 */
import { VmError } from '../vm-error.js';

export const WSL_AUTOMOUNT_ROOT = '/mnt';

/** The path inside the distribution for a Windows path, or a VmError saying why there is none. */
export function toWslPath(windowsPath: string, distro: string): string {
  const raw = windowsPath.trim();
  // A Linux path already (a folder in the distribution, or a named volume's mount point): as it is.
  if (raw.startsWith('/') && !raw.startsWith('//')) return raw;
  const unprefixed = raw.replace(/^[\\/]{2}[?.][\\/](?=[A-Za-z]:)/, ''); // \\?\C:\… long-path form
  const drive = /^([A-Za-z]):(?:[\\/](.*))?$/.exec(unprefixed);
  if (drive) {
    const rest = splitParts(drive[2] ?? '');
    return [`${WSL_AUTOMOUNT_ROOT}/${drive[1]!.toLowerCase()}`, ...rest].join('/');
  }
  if (/^[A-Za-z]:/.test(unprefixed)) {
    throw new VmError(
      `"${windowsPath}" is relative to the current folder of drive ${unprefixed[0]}:; give the full path (${unprefixed[0]}:\\…).`,
    );
  }
  const unc = /^[\\/]{2}([^\\/]+)[\\/]([^\\/]+)(?:[\\/](.*))?$/.exec(raw);
  if (unc) {
    const [, server, share, rest] = unc;
    if (/^wsl(\$|\.localhost)$/i.test(server!)) {
      if (share!.toLowerCase() === distro.toLowerCase()) return `/${splitParts(rest ?? '').join('/')}`;
      throw new VmError(
        `"${windowsPath}" is in the WSL distribution ${share}, which Berth's engine does not see; copy it to a Windows folder or into ${distro}.`,
      );
    }
    throw new VmError(
      `"${windowsPath}" is on a network share; WSL shows only this computer's drives to the engine (copy it to a local folder).`,
    );
  }
  throw new VmError(`"${windowsPath}" is not a full Windows path (C:\\…).`);
}

function splitParts(rest: string): string[] {
  const parts = rest.split(/[\\/]+/).filter((part) => part !== '' && part !== '.');
  if (parts.includes('..')) throw new VmError(`"${rest}" goes up with "..": give the folder's full path.`);
  return parts;
}

/** The drive roots WSL shares, `C:\`, `D:\`…, for the settings' "shared folders" (each as the user writes it). */
export function sharedDriveRoots(driveExists: (root: string) => boolean): string[] {
  const roots: string[] = [];
  for (let code = 'A'.charCodeAt(0); code <= 'Z'.charCodeAt(0); code++) {
    const root = `${String.fromCharCode(code)}:\\`;
    if (driveExists(root)) roots.push(root);
  }
  return roots;
}
