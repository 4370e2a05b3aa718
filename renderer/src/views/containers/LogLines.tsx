import { useCallback, useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import type { LogLine } from './log-buffer';
import { splitMatches } from './log-buffer';

/** What LogLines reads: a single container's LogBuffer, or the logs explorer's merged lines. */
export interface LogLineSource {
  readonly length: number;
  line(index: number): LogLine;
}

export type LinePart = { text: string; match: boolean };

export const LOG_ROW_HEIGHT = 18;
const OVERSCAN = 30;
/** Older lines load when the first painted line is this close to the top. */
const LOAD_OLDER_WITHIN = 200;

interface LogLinesProps {
  label: string;
  buffer: LogLineSource;
  /** Changes whenever the buffer does. */
  version: number;
  follow: boolean;
  onFollowChange: (follow: boolean) => void;
  showTimes: boolean;
  query: string;
  /** The line of the current match, to scroll to and mark. */
  currentMatch: number | null;
  onNearTop: () => void;
  takeFrontChange: () => number;
  /** What goes before a line's text besides its stream and time (the explorer: the container's name). */
  renderLead?: (index: number) => ReactNode;
  /** Splits a line around its matches; by default around `query` as plain text. */
  split?: (text: string) => LinePart[];
}

/**
 * The log's lines, virtualized by hand: every row is the same height, so the rows in view follow from
 * the scroll position alone (a general virtualizer measures every row on each change, which a million
 * rows growing sixty times a second cannot afford).
 */
export function LogLines(props: LogLinesProps) {
  const {
    buffer,
    version,
    follow,
    onFollowChange,
    showTimes,
    query,
    currentMatch,
    onNearTop,
    takeFrontChange,
    renderLead,
    split,
  } = props;
  const scroller = useRef<HTMLDivElement>(null);
  const [viewport, setViewport] = useState({ top: 0, height: 480 });
  const programmatic = useRef(false);
  const count = buffer.length;

  const measure = useCallback(() => {
    const element = scroller.current;
    if (element) setViewport({ top: element.scrollTop, height: element.clientHeight });
  }, []);

  useEffect(() => {
    const element = scroller.current!;
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, [measure]);

  // Keep the reader's place when older lines arrive at the top, and stay at the bottom when following.
  useLayoutEffect(() => {
    const element = scroller.current!;
    const shift = takeFrontChange();
    if (follow) {
      const bottom = element.scrollHeight - element.clientHeight;
      if (element.scrollTop !== bottom) {
        programmatic.current = true;
        element.scrollTop = bottom;
      }
    } else if (shift !== 0) {
      programmatic.current = true;
      element.scrollTop = Math.max(0, element.scrollTop + shift * LOG_ROW_HEIGHT);
    }
    measure();
  }, [version, follow, measure, takeFrontChange]);

  useLayoutEffect(() => {
    const element = scroller.current;
    if (!element || currentMatch === null) return;
    const top = currentMatch * LOG_ROW_HEIGHT;
    if (top < element.scrollTop || top + LOG_ROW_HEIGHT > element.scrollTop + element.clientHeight) {
      programmatic.current = true;
      element.scrollTop = Math.max(0, top - element.clientHeight / 2);
      measure();
    }
  }, [currentMatch, measure]);

  const first = Math.max(0, Math.floor(viewport.top / LOG_ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(count, Math.ceil((viewport.top + viewport.height) / LOG_ROW_HEIGHT) + OVERSCAN);

  const onScroll = () => {
    const element = scroller.current!;
    measure();
    if (programmatic.current) {
      programmatic.current = false;
      return;
    }
    // Only a person's scroll loads older lines: while the tail is still arriving the view is near the
    // top too, and an older page then would compete with the lines being waited for.
    if (count > 0 && element.scrollTop / LOG_ROW_HEIGHT < LOAD_OLDER_WITHIN) onNearTop();
    const atBottom = element.scrollHeight - element.scrollTop - element.clientHeight < LOG_ROW_HEIGHT * 2;
    if (atBottom !== follow) onFollowChange(atBottom);
  };

  const rows = [];
  for (let index = first; index < last; index += 1) {
    const line = buffer.line(index);
    const parts = split ? split(line.text) : splitMatches(line.text, query);
    rows.push(
      <div
        key={index}
        className="log-line"
        data-stream={line.stream}
        aria-current={index === currentMatch ? 'true' : undefined}
        style={{ top: index * LOG_ROW_HEIGHT }}
      >
        <span className="log-stream" title={line.stream}>
          {line.stream === 'stderr' ? 'err' : 'out'}
        </span>
        {showTimes ? <span className="log-time">{line.time.replace('T', ' ').slice(0, 23)}</span> : null}
        {renderLead?.(index)}
        <span className="log-text">
          {parts.map((part, partIndex) => (part.match ? <mark key={partIndex}>{part.text}</mark> : part.text))}
        </span>
      </div>,
    );
  }

  return (
    <div
      ref={scroller}
      role="log"
      aria-live="off"
      aria-label={props.label}
      className="log-lines mono"
      tabIndex={0}
      onScroll={onScroll}
    >
      <div className="log-canvas" style={{ height: count * LOG_ROW_HEIGHT }}>
        {rows}
      </div>
    </div>
  );
}
