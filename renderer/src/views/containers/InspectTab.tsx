import { useQuery } from '@tanstack/react-query';
import { useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import type { ContainerSummary } from '../../../../engine/core/engine-types';
import { useApi } from '../../api/api-context';
import { QueryProblem } from '../../components/QueryProblem';
import { containerInspectQuery } from './container-detail-queries';
import { splitMatches } from './log-buffer';
import { MatchSearch } from './MatchSearch';

/** The Inspect tab: `docker inspect`'s JSON, indented, searchable with the matches marked. */
export function InspectTab({ container }: { container: ContainerSummary }) {
  const api = useApi();
  const query = useQuery(containerInspectQuery(api, container.id, `${container.state} ${container.status} ${container.name}`));
  const [searchInput, setSearchInput] = useState('');
  const search = useDeferredValue(searchInput.trim());
  const [current, setCurrent] = useState(0);
  const body = useRef<HTMLPreElement>(null);

  const lines = useMemo(() => (query.data ? JSON.stringify(query.data, null, 2).split('\n') : []), [query.data]);
  const total = useMemo(
    () => (search ? lines.reduce((count, line) => count + splitMatches(line, search).filter((part) => part.match).length, 0) : 0),
    [lines, search],
  );
  useEffect(() => {
    body.current?.querySelector('mark[data-current]')?.scrollIntoView({ block: 'center' });
  }, [current, search, lines]);

  const step = (delta: 1 | -1) => total > 0 && setCurrent((index) => (index + delta + total) % total);
  let matchNumber = 0;
  return (
    <div className="inspect-tab">
      <div className="ctr-detail-toolbar" role="toolbar" aria-label="Inspect options">
        <MatchSearch
          label="Search the JSON"
          value={searchInput}
          onChange={(value) => {
            setSearchInput(value);
            setCurrent(0);
          }}
          onStep={step}
          active={search !== ''}
          position={current}
          total={total}
        />
        <button
          type="button"
          disabled={!query.data}
          onClick={() => void navigator.clipboard?.writeText(JSON.stringify(query.data, null, 2)).catch(() => undefined)}
        >
          Copy JSON
        </button>
      </div>
      <QueryProblem query={query} what="the container's details" />
      <pre ref={body} className="inspect-json mono" aria-label={`Inspect data of ${container.name}`} tabIndex={0}>
        {lines.map((line, index) => (
          <span key={index} className="json-line">
            {splitMatches(line, search).map((part, partIndex) => {
              if (!part.match) return part.text;
              const isCurrent = matchNumber++ === current;
              return (
                <mark key={partIndex} data-current={isCurrent || undefined}>
                  {part.text}
                </mark>
              );
            })}
            {'\n'}
          </span>
        ))}
      </pre>
    </div>
  );
}
