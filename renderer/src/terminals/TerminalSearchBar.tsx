import type { SearchAddon } from '@xterm/addon-search';
import { useState } from 'react';

/** Find in the terminal's scrollback (xterm's search addon): Enter for next, Shift-Enter for previous. */
export function TerminalSearchBar({ search, onClose }: { search: () => SearchAddon | undefined; onClose: () => void }) {
  const [term, setTerm] = useState('');
  const [result, setResult] = useState<'found' | 'none' | null>(null);
  const find = (direction: 'next' | 'previous') => {
    const addon = search();
    if (!term || !addon) return;
    const found = direction === 'next' ? addon.findNext(term) : addon.findPrevious(term);
    setResult(found ? 'found' : 'none');
  };
  return (
    <form
      className="terminal-search"
      role="search"
      aria-label="Search in terminal"
      onSubmit={(event) => {
        event.preventDefault();
        find('next');
      }}
    >
      <input
        autoFocus
        aria-label="Search text"
        value={term}
        onChange={(event) => {
          setTerm(event.target.value);
          setResult(null);
        }}
        onKeyDown={(event) => {
          if (event.key === 'Escape') onClose();
          if (event.key === 'Enter' && event.shiftKey) {
            event.preventDefault();
            find('previous');
          }
        }}
      />
      <button type="submit">Next match</button>
      <button type="button" onClick={() => find('previous')}>
        Previous match
      </button>
      <span role="status" aria-label="Search result">
        {result === 'found' ? 'Found' : result === 'none' ? 'No match' : ''}
      </span>
      <button type="button" onClick={onClose} aria-label="Close search">
        ×
      </button>
    </form>
  );
}
