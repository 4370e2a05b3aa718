import { useQuery } from '@tanstack/react-query';
import { useCallback, useDeferredValue, useMemo, useState } from 'react';
import { useApi } from '../../api/api-context';
import { containersQuery } from '../containers/container-queries';
import { LogLines } from '../containers/LogLines';
import { MatchSearch } from '../containers/MatchSearch';
import '../containers/containers.css';
import { ExplorerSearch } from './explorer-buffer';
import type { ExplorerSnapshot } from './explorer-follower';
import { compileLogPattern, splitByPattern } from './log-pattern';
import { TAIL_CHOICES, useLogsUi } from './logs-ui-store';
import { useExplorer } from './use-explorer';
import './logs.css';

const ALL = '';
const NOTHING = () => {};

function describeStatus(snapshot: ExplorerSnapshot, lines: number, follow: boolean): string {
  const count = `${lines.toLocaleString('en-US')} lines from ${snapshot.sources.size} containers`;
  switch (snapshot.status) {
    case 'connecting':
      return 'Opening the logs…';
    case 'history':
      return `${count} · reading…`;
    case 'live':
      return `${count}${follow ? ' · following' : ' · paused (scroll to the bottom to follow)'}`;
    case 'ended':
      return `${count} · the stream ended`;
    case 'failed':
      return `The logs could not be read: ${snapshot.error ?? 'unknown error'}`;
  }
}

/**
 * Logs across containers: the lines of many containers interleaved by the engine's timestamps, each
 * with its container's name and colour; filtered by container or compose project; searched by regular
 * expression; following new lines until the person scrolls up.
 */
export function LogsView() {
  const api = useApi();
  const ui = useLogsUi();
  const list = useQuery(containersQuery(api));
  const { follower, snapshot } = useExplorer(api, ui.container, ui.project, ui.tail);
  const buffer = follower.buffer;
  const [follow, setFollow] = useState(true);
  const [queryInput, setQueryInput] = useState('');
  const query = useDeferredValue(queryInput);
  const pattern = useMemo(() => compileLogPattern(query, ui.regex), [query, ui.regex]);
  const regex = pattern.kind === 'valid' ? pattern.regex : null;
  const [search] = useState(() => new ExplorerSearch());
  // `snapshot.version` changes with the buffer's content: the search catches up with new lines then.
  const matches = useMemo(() => search.update(buffer, regex), [search, buffer, regex, snapshot.version]); // eslint-disable-line react-hooks/exhaustive-deps
  const [matchIndex, setMatchIndex] = useState(0);
  const current = matches.length > 0 ? matches[Math.min(matchIndex, matches.length - 1)]! : null;
  const step = (delta: 1 | -1) => {
    if (matches.length === 0) return;
    setFollow(false);
    setMatchIndex((index) => (Math.min(index, matches.length - 1) + delta + matches.length) % matches.length);
  };

  const containers = useMemo(() => [...(list.data ?? [])].sort((a, b) => a.name.localeCompare(b.name)), [list.data]);
  const projects = useMemo(
    () => [...new Set(containers.map((container) => container.composeProject).filter((project) => project !== null))].sort(),
    [containers],
  );
  const split = useCallback((text: string) => splitByPattern(text, regex!), [regex]);
  const sources = snapshot.sources;
  const renderLead = useCallback(
    (index: number) => {
      const source = sources.get(buffer.line(index).source);
      return (
        <span className="explorer-source" style={{ color: source?.colour, borderLeftColor: source?.colour }}>
          {source?.name ?? '?'}
        </span>
      );
    },
    [buffer, sources],
  );
  const ended = [...sources.values()].filter((source) => source.ended !== null);

  return (
    <section className="view logs-view" aria-labelledby="logs-title">
      <header className="view-header">
        <h1 id="logs-title">Logs</h1>
        <span className="count">{sources.size > 0 ? `${sources.size} containers` : ''}</span>
      </header>
      <div className="ctr-detail-toolbar explorer-toolbar" role="toolbar" aria-label="Log filters">
        <label>
          Container{' '}
          <select
            aria-label="Container"
            value={ui.container ?? ALL}
            onChange={(event) => ui.setContainer(event.target.value || null)}
          >
            <option value={ALL}>All containers</option>
            {containers.map((container) => (
              <option key={container.id} value={container.name}>
                {container.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Project{' '}
          <select aria-label="Project" value={ui.project ?? ALL} onChange={(event) => ui.setProject(event.target.value || null)}>
            <option value={ALL}>All projects</option>
            {projects.map((project) => (
              <option key={project}>{project}</option>
            ))}
          </select>
        </label>
        <label>
          Lines per container{' '}
          <select aria-label="Lines per container" value={ui.tail} onChange={(event) => ui.setTail(Number(event.target.value))}>
            {TAIL_CHOICES.map((tail) => (
              <option key={tail} value={tail}>
                {tail.toLocaleString('en-US')}
              </option>
            ))}
          </select>
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={follow} onChange={(event) => setFollow(event.target.checked)} />
          Follow
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={ui.showTimes} onChange={(event) => ui.setShowTimes(event.target.checked)} />
          Timestamps
        </label>
        <MatchSearch
          label="Search the logs"
          value={queryInput}
          onChange={(value) => {
            setQueryInput(value);
            setMatchIndex(0);
          }}
          onStep={step}
          active={pattern.kind === 'valid'}
          position={Math.min(matchIndex, matches.length - 1)}
          total={matches.length}
        />
        <label className="checkbox">
          <input
            type="checkbox"
            checked={ui.regex}
            onChange={(event) => {
              ui.setRegex(event.target.checked);
              setMatchIndex(0);
            }}
          />
          Regular expression
        </label>
      </div>
      {pattern.kind === 'invalid' ? (
        <p role="alert" aria-label="Search problem" className="problem">
          {pattern.message}
        </p>
      ) : null}
      {snapshot.notes.map((note) => (
        <p key={note} className="notice" role="status">
          {note}
        </p>
      ))}
      {ended.length > 0 ? (
        <p className="log-top muted" aria-label="Ended containers">
          No new lines from: {ended.map((source) => `${source.name} (${source.ended})`).join(', ')}
        </p>
      ) : null}
      <LogLines
        label="Logs of all shown containers"
        buffer={buffer}
        version={snapshot.version}
        follow={follow}
        onFollowChange={setFollow}
        showTimes={ui.showTimes}
        query=""
        currentMatch={current}
        onNearTop={NOTHING}
        takeFrontChange={follower.takeFrontChange}
        renderLead={renderLead}
        split={regex ? split : undefined}
      />
      <p className="ctr-detail-status" role="status" aria-label="Logs status">
        {describeStatus(snapshot, buffer.length, follow)}
      </p>
    </section>
  );
}
