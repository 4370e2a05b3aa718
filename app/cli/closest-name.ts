/** The known name nearest to what was typed, for "did you mean …" (edit distance, with a bound). */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
    }
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * The closest name, or null when none is near enough to be a typo: at most a third of the longer name
 * differs (at least 2 edits allowed), or the typed text starts a single name.
 */
export function closestName(typed: string, names: readonly string[]): string | null {
  const lower = typed.toLowerCase();
  const starting = names.filter((name) => name.startsWith(lower));
  if (lower.length > 0 && starting.length === 1) return starting[0]!;
  let best: { name: string; distance: number } | null = null;
  for (const name of names) {
    const distance = editDistance(lower, name);
    if (!best || distance < best.distance) best = { name, distance };
  }
  if (!best) return null;
  const allowed = Math.max(2, Math.floor(Math.max(lower.length, best.name.length) / 3));
  return best.distance <= allowed ? best.name : null;
}

/** " Did you mean X?" or nothing. */
export function didYouMean(typed: string, names: readonly string[], quote = (name: string) => name): string {
  const closest = closestName(typed, names);
  return closest ? ` Did you mean ${quote(closest)}?` : '';
}
