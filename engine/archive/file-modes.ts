// Unix file modes as people read them: the container file browser (tar headers) and the volume listing share this.

/** "rwxr-x---", with s/S and t/T for setuid, setgid and sticky, as ls shows them. */
export function permissionString(mode: number): string {
  const triplet = (bits: number, special: boolean, specialChar: string) => {
    const execute = (bits & 1) !== 0;
    const last = special ? (execute ? specialChar : specialChar.toUpperCase()) : execute ? 'x' : '-';
    return `${bits & 4 ? 'r' : '-'}${bits & 2 ? 'w' : '-'}${last}`;
  };
  return (
    triplet((mode >> 6) & 7, (mode & 0o4000) !== 0, 's') +
    triplet((mode >> 3) & 7, (mode & 0o2000) !== 0, 's') +
    triplet(mode & 7, (mode & 0o1000) !== 0, 't')
  );
}
