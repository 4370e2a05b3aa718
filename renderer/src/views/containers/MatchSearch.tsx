interface MatchSearchProps {
  /** The search landmark's name ("Search the log"). */
  label: string;
  value: string;
  /** A new search text; the owner starts again from the first match. */
  onChange: (value: string) => void;
  /** Enter and the arrows move to the next (1) or previous (-1) match; Shift-Enter goes back. */
  onStep: (delta: 1 | -1) => void;
  /** Whether a search is in force (the deferred, trimmed text is not empty). */
  active: boolean;
  /** The shown match, counted from 0, and how many there are. */
  position: number;
  total: number;
}

/** The search box of the Logs and Inspect tabs: the text, "n of m" or "No match", previous and next. */
export function MatchSearch({ label, value, onChange, onStep, active, position, total }: MatchSearchProps) {
  return (
    <search className="ctr-log-search" aria-label={label}>
      <input
        type="search"
        aria-label="Search text"
        placeholder="Search"
        value={value}
        onChange={(event) => onChange(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Enter') onStep(event.shiftKey ? -1 : 1);
        }}
      />
      <span role="status" aria-label="Search result" className="muted">
        {active ? (total === 0 ? 'No match' : `${position + 1} of ${total}`) : ''}
      </span>
      <button type="button" onClick={() => onStep(-1)} disabled={total === 0} aria-label="Previous match">
        ↑
      </button>
      <button type="button" onClick={() => onStep(1)} disabled={total === 0} aria-label="Next match">
        ↓
      </button>
    </search>
  );
}
