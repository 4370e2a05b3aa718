import { useQuery } from '@tanstack/react-query';
import { useEffect, useId, useMemo, useState, type KeyboardEvent } from 'react';
import { useApi } from '../api/api-context';
import { ModalDialog } from '../components/ModalDialog';
import { containersQuery } from '../views/containers/container-queries';
import { useMachineStatus } from '../views/machine/machine-status';
import { rankByFuzzyMatch } from './fuzzy-match';
import { buildPaletteCommands, type PaletteCommand } from './palette-commands';

/** Enough to choose from; a longer list means the query should say more. */
const SHOWN_AT_MOST = 50;

/** The label with the matched letters marked. */
function Highlighted({ text, positions }: { text: string; positions: number[] }) {
  const marked = new Set(positions);
  const parts: Array<{ text: string; mark: boolean }> = [];
  for (let index = 0; index < text.length; index++) {
    const mark = marked.has(index);
    const last = parts[parts.length - 1];
    if (last && last.mark === mark) last.text += text[index];
    else parts.push({ text: text[index]!, mark });
  }
  return (
    <span className="palette-label">
      {parts.map((part, index) => (part.mark ? <mark key={index}>{part.text}</mark> : <span key={index}>{part.text}</span>))}
    </span>
  );
}

/**
 * The command palette: a dialog holding a combobox (the query) and the listbox of commands that match
 * it, best first. Up and Down choose, Enter runs, Escape closes; the focus stays in the query and the
 * chosen option is its aria-activedescendant, as a screen reader expects of a combobox.
 */
export function CommandPalette({ onRun, onClose }: { onRun: (command: PaletteCommand) => void; onClose: () => void }) {
  const api = useApi();
  const containers = useQuery(containersQuery(api)).data;
  const vmState = useMachineStatus()?.vm?.state.kind ?? null;
  const commands = useMemo(() => buildPaletteCommands({ containers, vmState }), [containers, vmState]);
  const [query, setQuery] = useState('');
  const [chosen, setChosen] = useState(0);
  const { matches, total } = useMemo(
    () => rankByFuzzyMatch(commands, query, (command) => command.label, SHOWN_AT_MOST),
    [commands, query],
  );
  const ids = useId();
  const optionId = (index: number) => `${ids}-option-${index}`;
  const active = matches.length === 0 ? -1 : Math.min(chosen, matches.length - 1);

  useEffect(() => {
    if (active >= 0) document.getElementById(`${ids}-option-${active}`)?.scrollIntoView({ block: 'nearest' });
  }, [active, ids]);

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    const count = matches.length;
    const move = (to: number) => {
      event.preventDefault();
      if (count > 0) setChosen((to + count) % count);
    };
    if (event.key === 'ArrowDown') move(active + 1);
    else if (event.key === 'ArrowUp') move(active - 1);
    else if (event.key === 'PageDown') move(Math.min(active + 10, count - 1));
    else if (event.key === 'PageUp') move(Math.max(active - 10, 0));
    else if (event.key === 'Enter') {
      event.preventDefault();
      const match = matches[active];
      if (match) onRun(match.item);
    }
  };

  return (
    <ModalDialog title="Command palette" onClose={onClose} className="palette">
      <input
        type="text"
        role="combobox"
        aria-label="Command"
        aria-expanded="true"
        aria-controls={`${ids}-listbox`}
        aria-autocomplete="list"
        aria-activedescendant={active >= 0 ? optionId(active) : undefined}
        placeholder="Type a command, a view or part of a container's name"
        value={query}
        onChange={(event) => {
          setQuery(event.target.value);
          setChosen(0);
        }}
        onKeyDown={onKeyDown}
        autoFocus
        spellCheck={false}
        autoComplete="off"
      />
      <ul id={`${ids}-listbox`} role="listbox" aria-label="Commands" className="palette-options">
        {matches.map(({ item, positions }, index) => (
          <li
            key={item.id}
            id={optionId(index)}
            role="option"
            aria-selected={index === active}
            aria-describedby={`${ids}-hint-${index}`}
            onClick={() => onRun(item)}
            onMouseMove={() => index !== active && setChosen(index)}
          >
            <Highlighted text={item.label} positions={positions} />
            <span id={`${ids}-hint-${index}`} className="palette-hint" aria-hidden="true">
              {item.hint}
            </span>
          </li>
        ))}
      </ul>
      {matches.length === 0 ? (
        <p role="status" className="empty">
          No command matches “{query.trim()}”. Try part of a container&apos;s name, a view, or an action such as stop or pull.
        </p>
      ) : total > matches.length ? (
        <p className="muted">
          The best {matches.length} of {total}: type more to narrow.
        </p>
      ) : null}
    </ModalDialog>
  );
}
