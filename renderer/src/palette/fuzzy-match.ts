/**
 * Fuzzy matching for the command palette, in the manner of VS Code's quick open: the query's letters
 * must appear in the text in order (a subsequence, any case); among the ways they can, the best scored
 * wins, where letters in a row and letters at the start of a word score high and gaps cost. Words of
 * the query (split at spaces) match on their own, in any order: "web stop" finds "Stop web".
 * Pure; O(query × text) per word.
 */

export interface FuzzyMatch {
  score: number;
  /** Indexes of the matched characters in the text, ascending, for highlighting. */
  positions: number[];
}

const SCORE_MATCH = 1;
const BONUS_TEXT_START = 10;
const BONUS_WORD_START = 8;
const BONUS_CAMEL = 6;
const BONUS_CONSECUTIVE = 6;
const PENALTY_GAP_START = 3;
const PENALTY_GAP_EXTENSION = 1;
/** A match that starts late costs a little per skipped character, up to this much. */
const PENALTY_LEADING_MAX = 5;

const SEPARATOR = /[\s\-_./:@()…]/;

function boundaryBonus(text: string, index: number): number {
  if (index === 0) return BONUS_TEXT_START;
  const previous = text[index - 1]!;
  const current = text[index]!;
  if (SEPARATOR.test(previous)) return BONUS_WORD_START;
  if (previous === previous.toLowerCase() && current !== current.toLowerCase()) return BONUS_CAMEL;
  return 0;
}

/** The best alignment of one word (lower-case, no spaces) in the text, or null when it is not a subsequence. */
function matchWord(word: string, text: string, lowerText: string): FuzzyMatch | null {
  const n = word.length;
  const m = text.length;
  if (n > m) return null;
  // best[i][j]: the best score of word[0..i] with word[i] matched at text[j]; from[i][j]: where word[i-1] was.
  const best = Array.from({ length: n }, () => new Float64Array(m).fill(-Infinity));
  const from = Array.from({ length: n }, () => new Int32Array(m).fill(-1));
  for (let j = 0; j < m; j++) {
    if (lowerText[j] === word[0]) best[0]![j] = SCORE_MATCH + boundaryBonus(text, j) - Math.min(j * 0.5, PENALTY_LEADING_MAX);
  }
  for (let i = 1; i < n; i++) {
    const previous = best[i - 1]!;
    // The best match of word[i-1] at least two characters back, with the gap it leaves paid for.
    let gapScore = -Infinity;
    let gapFrom = -1;
    for (let j = 1; j < m; j++) {
      if (j >= 2) {
        const opened = previous[j - 2]! - PENALTY_GAP_START;
        const extended = gapScore - PENALTY_GAP_EXTENSION;
        if (opened >= extended) {
          gapScore = opened;
          gapFrom = j - 2;
        } else gapScore = extended;
      }
      if (lowerText[j] !== word[i]) continue;
      const consecutive = previous[j - 1]! + BONUS_CONSECUTIVE;
      const [before, at] = consecutive >= gapScore ? [consecutive, j - 1] : [gapScore, gapFrom];
      if (before === -Infinity) continue;
      best[i]![j] = before + SCORE_MATCH + boundaryBonus(text, j);
      from[i]![j] = at;
    }
  }
  let end = -1;
  const last = best[n - 1]!;
  for (let j = 0; j < m; j++) if (last[j]! > (end < 0 ? -Infinity : last[end]!)) end = j;
  if (end < 0 || last[end] === -Infinity) return null;
  const positions = new Array<number>(n);
  for (let i = n - 1, j = end; i >= 0; j = from[i]![j]!, i--) positions[i] = j;
  return { score: last[end]!, positions };
}

/** Scores `text` for `query`; null when some word of the query is not in it. An empty query matches everything with 0. */
export function fuzzyMatch(query: string, text: string): FuzzyMatch | null {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const lowerText = text.toLowerCase();
  let score = 0;
  const positions = new Set<number>();
  for (const word of words) {
    const match = matchWord(word, text, lowerText);
    if (!match) return null;
    score += match.score;
    for (const position of match.positions) positions.add(position);
  }
  return { score, positions: [...positions].sort((a, b) => a - b) };
}

/**
 * The items that match, best first; equal scores keep the items' own order (so an empty query lists
 * them as given). `limit` bounds what is returned, not what is scored.
 */
export function rankByFuzzyMatch<T>(
  items: readonly T[],
  query: string,
  textOf: (item: T) => string,
  limit = Infinity,
): { matches: Array<{ item: T; positions: number[] }>; total: number } {
  const scored: Array<{ item: T; positions: number[]; score: number; order: number }> = [];
  items.forEach((item, order) => {
    const match = fuzzyMatch(query, textOf(item));
    if (match) scored.push({ item, positions: match.positions, score: match.score, order });
  });
  scored.sort((a, b) => b.score - a.score || a.order - b.order);
  return {
    matches: scored.slice(0, limit).map(({ item, positions }) => ({ item, positions })),
    total: scored.length,
  };
}
