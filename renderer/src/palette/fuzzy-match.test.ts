import { describe, expect, it } from 'vitest';
import { fuzzyMatch, rankByFuzzyMatch } from './fuzzy-match';

const rank = (query: string, texts: string[]) =>
  rankByFuzzyMatch(texts, query, (text) => text).matches.map((match) => match.item);

describe('fuzzyMatch', () => {
  it('matches a subsequence in any case and says where', () => {
    expect(fuzzyMatch('stp', 'Stop web')?.positions).toEqual([0, 1, 3]);
    expect(fuzzyMatch('WEB', 'Stop web')?.positions).toEqual([5, 6, 7]);
  });

  it('does not match letters out of order or missing', () => {
    expect(fuzzyMatch('pots', 'Stop web')).toBeNull();
    expect(fuzzyMatch('stopx', 'Stop web')).toBeNull();
    expect(fuzzyMatch('a-much-longer-query', 'short')).toBeNull();
  });

  it('matches every text with an empty or blank query', () => {
    expect(fuzzyMatch('', 'anything')).toEqual({ score: 0, positions: [] });
    expect(fuzzyMatch('   ', 'anything')).toEqual({ score: 0, positions: [] });
  });

  it('matches the words of a query on their own, in any order', () => {
    expect(fuzzyMatch('web stop', 'Stop web')?.positions).toEqual([0, 1, 2, 3, 5, 6, 7]);
    expect(fuzzyMatch('web start', 'Stop web')).toBeNull();
  });

  it('picks the best alignment, not the first: word starts over letters inside words', () => {
    // "gi" could take the i of "Engine"'s middle; the start of "Images" is better.
    expect(fuzzyMatch('gi', 'Go to Images')?.positions).toEqual([0, 6]);
    expect(fuzzyMatch('db', 'Stop db-backup')?.positions).toEqual([5, 6]);
  });
});

describe('rankByFuzzyMatch', () => {
  it('ranks a match at the start of a word above one inside a word', () => {
    expect(rank('st', ['Restart web', 'Start web'])).toEqual(['Start web', 'Restart web']);
    expect(rank('gi', ['Go to Engine', 'Go to Images'])).toEqual(['Go to Images', 'Go to Engine']);
  });

  it('ranks letters in a row above the same letters spread out', () => {
    expect(rank('web', ['worker-exporter-b', 'webapp'])).toEqual(['webapp', 'worker-exporter-b']);
    expect(rank('log', ['Show lots of gauges', 'Show logs of web'])).toEqual(['Show logs of web', 'Show lots of gauges']);
  });

  it('ranks initials of words (camel case too) above scattered letters', () => {
    expect(rank('gti', ['Go to Images', 'Getting it'])).toEqual(['Go to Images', 'Getting it']);
    expect(rank('rd', ['ReadMe', 'Ruled'])).toEqual(['ReadMe', 'Ruled']);
  });

  it('leaves out what does not match, keeps the given order for equal scores, and counts beyond the limit', () => {
    const result = rankByFuzzyMatch(['b one', 'a one', 'none', 'c one'], 'one', (text) => text, 2);
    expect(result.total).toBe(4);
    expect(result.matches.map((match) => match.item)).toEqual(['b one', 'a one']);
    expect(rankByFuzzyMatch(['alpha', 'beta'], 'zzz', (text) => text)).toEqual({ matches: [], total: 0 });
  });
});
