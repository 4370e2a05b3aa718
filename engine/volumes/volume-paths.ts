// The rule for a path inside a volume. Pure: the contract checks the renderer's arguments with it.

/** A path inside the volume: "/" or "/a/b", no "..", no empty or "." parts. */
export function volumePathProblem(path: string): string | null {
  if (!path.startsWith('/')) return 'A path in a volume starts with "/".';
  if (path.length > 4096) return 'A path in a volume can have at most 4096 characters.';
  if (path.includes('\0')) return 'A path cannot contain a NUL character.';
  const parts = path.split('/').slice(1);
  if (path !== '/' && parts.some((part) => part === '' || part === '.' || part === '..')) {
    return 'A path in a volume has no empty, "." or ".." parts.';
  }
  return null;
}
