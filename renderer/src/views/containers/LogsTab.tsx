import { useCallback, useDeferredValue, useMemo, useState } from 'react';
import type { ContainerSummary } from '../../../../engine/core/engine-types';
import { useApi } from '../../api/api-context';
import { useNoticeStore } from '../../components/notice-store';
import { LogSearch } from './log-buffer';
import { LogLines } from './LogLines';
import { MatchSearch } from './MatchSearch';
import { downloadLog } from './save-download';
import { useLogStream } from './use-log-stream';

const SINCE_CHOICES = [
  { label: 'All', seconds: null },
  { label: 'Last 5 minutes', seconds: 300 },
  { label: 'Last hour', seconds: 3_600 },
  { label: 'Last 24 hours', seconds: 86_400 },
] as const;

function sinceFromChoice(choice: string, custom: string): number | null {
  if (choice === 'custom') return custom ? Math.floor(new Date(custom).getTime() / 1000) : null;
  const seconds = SINCE_CHOICES.find((option) => option.label === choice)?.seconds ?? null;
  return seconds === null ? null : Math.floor(Date.now() / 1000) - seconds;
}

/** The Logs tab: live lines, stdout and stderr told apart, timestamps, search, a time bound, download. */
export function LogsTab({ container }: { container: ContainerSummary }) {
  const api = useApi();
  const notify = useNoticeStore((state) => state.notify);
  const [choice, setChoice] = useState<string>('All');
  const [custom, setCustom] = useState('');
  const since = useMemo(() => sinceFromChoice(choice, custom), [choice, custom]);
  const { follower, snapshot: log } = useLogStream(api, container.id, since, container.state === 'running');
  const buffer = follower.buffer;
  const [follow, setFollow] = useState(true);
  const [showTimes, setShowTimes] = useState(false);
  const [queryInput, setQueryInput] = useState('');
  const query = useDeferredValue(queryInput.trim());
  const [search] = useState(() => new LogSearch());
  // `log.version` changes with the buffer's content: the search catches up with new lines then.
  const matches = useMemo(() => search.update(buffer, query), [search, buffer, query, log.version]); // eslint-disable-line react-hooks/exhaustive-deps
  const [matchIndex, setMatchIndex] = useState(0);
  const [downloading, setDownloading] = useState(false);
  const loadOlderNearTop = useCallback(() => void follower.loadOlder(), [follower]);

  const current = matches.length > 0 ? matches[Math.min(matchIndex, matches.length - 1)]! : null;
  const step = (delta: 1 | -1) => {
    if (matches.length === 0) return;
    setFollow(false);
    setMatchIndex((index) => (Math.min(index, matches.length - 1) + delta + matches.length) % matches.length);
  };

  const download = async () => {
    setDownloading(true);
    try {
      const fileName = await downloadLog(api, container.id, container.name, { since, timestamps: showTimes });
      notify('info', `Saved ${fileName}.`);
    } catch (error) {
      notify('error', `Could not download the log: ${(error as Error).message}`);
    } finally {
      setDownloading(false);
    }
  };

  const statusText =
    log.status === 'connecting'
      ? 'Opening the log…'
      : log.status === 'failed'
        ? `The log could not be read: ${log.error ?? 'unknown error'}`
        : `${buffer.length.toLocaleString('en-US')} lines${log.status === 'ended' ? ' · the container is not running: no new lines' : follow ? ' · following' : ''}`;

  return (
    <div className="logs-tab">
      <div className="ctr-detail-toolbar" role="toolbar" aria-label="Log options">
        <label className="checkbox">
          <input type="checkbox" checked={follow} onChange={(event) => setFollow(event.target.checked)} />
          Follow
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={showTimes} onChange={(event) => setShowTimes(event.target.checked)} />
          Timestamps
        </label>
        <label>
          Since{' '}
          <select value={choice} onChange={(event) => setChoice(event.target.value)}>
            {SINCE_CHOICES.map((option) => (
              <option key={option.label}>{option.label}</option>
            ))}
            <option value="custom">A time…</option>
          </select>
        </label>
        {choice === 'custom' ? (
          <label>
            <span className="ctr-visually-hidden">Since time</span>
            <input type="datetime-local" value={custom} onChange={(event) => setCustom(event.target.value)} />
          </label>
        ) : null}
        <MatchSearch
          label="Search the log"
          value={queryInput}
          onChange={(value) => {
            setQueryInput(value);
            setMatchIndex(0);
          }}
          onStep={step}
          active={query !== ''}
          position={Math.min(matchIndex, matches.length - 1)}
          total={matches.length}
        />
        <button type="button" onClick={() => void download()} disabled={downloading}>
          {downloading ? 'Downloading…' : 'Download log'}
        </button>
      </div>
      <p className="log-top muted">
        {log.loadingOlder ? 'Loading older lines…' : buffer.reachedStart ? 'Start of the log.' : null}
        {!log.loadingOlder && !buffer.reachedStart && buffer.length > 0 ? (
          <button type="button" className="ctr-link-button" onClick={() => void follower.loadOlder(true)}>
            Load older lines
          </button>
        ) : null}
      </p>
      <LogLines
        label={`Log of ${container.name}`}
        buffer={buffer}
        version={log.version}
        follow={follow}
        onFollowChange={setFollow}
        showTimes={showTimes}
        query={query}
        currentMatch={current}
        onNearTop={loadOlderNearTop}
        takeFrontChange={follower.takeFrontChange}
      />
      <p className="ctr-detail-status" role="status" aria-label="Log status">
        {statusText}
      </p>
    </div>
  );
}
