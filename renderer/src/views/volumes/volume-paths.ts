/** Paths inside a volume as the browser shows them: "/" is the volume's root. */

export function joinPath(directory: string, name: string): string {
  return directory === '/' ? `/${name}` : `${directory}/${name}`;
}

export function parentPath(path: string): string {
  const cut = path.lastIndexOf('/');
  return cut <= 0 ? '/' : path.slice(0, cut);
}

/** Each folder from the root down to `path`, for a breadcrumb trail. */
export function pathSegments(path: string): Array<{ label: string; path: string }> {
  const segments = [{ label: 'volume root', path: '/' }];
  if (path === '/') return segments;
  let current = '';
  for (const part of path.split('/').slice(1)) {
    current = `${current}/${part}`;
    segments.push({ label: part, path: current });
  }
  return segments;
}
