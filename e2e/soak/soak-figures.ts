/**
 * The soak's figures and goals (issue 17 item 3), pure: the RSS growth after warm-up, the difference
 * between the page's list and `docker ps -a`, what was left over, and the one line a run prints.
 */

export interface RssSample {
  /** ms since the load started. */
  atMs: number;
  mib: number;
}

export interface RssFigure {
  baselineMiB: number;
  endMiB: number;
  peakMiB: number;
  /** (end - baseline) / baseline. */
  growth: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * Median RSS of [warmUp, warmUp + window] against the median of the last window of the load: medians,
 * because a garbage collection moves a single sample by megabytes either way.
 */
export function rssGrowth(samples: readonly RssSample[], warmUpMs: number, loadMs: number, windowMs: number): RssFigure {
  const inWindow = (from: number, to: number) => samples.filter((s) => s.atMs >= from && s.atMs <= to).map((s) => s.mib);
  const baseline = inWindow(warmUpMs, warmUpMs + windowMs);
  const end = inWindow(loadMs - windowMs, loadMs);
  if (baseline.length === 0 || end.length === 0) {
    throw new Error(`Too few RSS samples to compare (${baseline.length} after warm-up, ${end.length} at the end).`);
  }
  const baselineMiB = median(baseline);
  const endMiB = median(end);
  const peakMiB = Math.max(...samples.filter((s) => s.atMs >= warmUpMs).map((s) => s.mib));
  return { baselineMiB, endMiB, peakMiB, growth: (endMiB - baselineMiB) / baselineMiB };
}

export interface ListedContainer {
  name: string;
  state: string;
}

export interface ListDifference {
  /** In the engine, not on the page. */
  missing: string[];
  /** On the page, gone from the engine. */
  extra: string[];
  /** Both, with another state on the page. */
  wrongState: Array<{ name: string; page: string; engine: string }>;
}

export function compareLists(page: readonly ListedContainer[], engine: readonly ListedContainer[]): ListDifference {
  const onPage = new Map(page.map((c) => [c.name, c.state]));
  const inEngine = new Map(engine.map((c) => [c.name, c.state]));
  return {
    missing: [...inEngine.keys()].filter((name) => !onPage.has(name)),
    extra: [...onPage.keys()].filter((name) => !inEngine.has(name)),
    wrongState: [...inEngine]
      .filter(([name, state]) => onPage.has(name) && onPage.get(name) !== state)
      .map(([name, state]) => ({ name, page: onPage.get(name)!, engine: state })),
  };
}

export const differenceCount = (difference: ListDifference): number =>
  difference.missing.length + difference.extra.length + difference.wrongState.length;

export function describeDifference(difference: ListDifference, limit = 10): string {
  const parts = [
    ...difference.missing.map((name) => `${name} missing`),
    ...difference.extra.map((name) => `${name} still shown`),
    ...difference.wrongState.map((d) => `${d.name} ${d.page} on the page, ${d.engine} in the engine`),
  ];
  const more = parts.length > limit ? ` and ${parts.length - limit} more` : '';
  return parts.slice(0, limit).join('; ') + more;
}

export interface Leftovers {
  execSessions: number;
  engineConnections: number;
  fileDescriptors: number;
}

export interface SoakFigures {
  minutes: number;
  containers: number;
  followedLogs: number;
  logLines: number;
  /** Followed logs that got no line in the last window of the load. */
  stalledLogs: number;
  terminals: number;
  echoesSent: number;
  echoesSeen: number;
  churnCommands: number;
  rss: RssFigure;
  eventsMissed: number;
  /** From churn's end to the page's list equal to `docker ps -a` (or the give-up time). */
  settleMs: number;
  leftovers: Leftovers;
}

export const RSS_GROWTH_GOAL = 0.1;

/** Each goal missed, as a sentence; empty when the run met them all. */
export function missedGoals(figures: SoakFigures): string[] {
  const missed: string[] = [];
  if (figures.rss.growth >= RSS_GROWTH_GOAL) {
    missed.push(`Berth's RSS grew ${percent(figures.rss.growth)} after warm-up (goal < ${percent(RSS_GROWTH_GOAL)}).`);
  }
  if (figures.eventsMissed > 0) missed.push(`${figures.eventsMissed} containers differ between the page and docker ps -a.`);
  const { execSessions, engineConnections, fileDescriptors } = figures.leftovers;
  if (execSessions > 0) missed.push(`${execSessions} exec sessions were left over.`);
  if (engineConnections > 0) missed.push(`${engineConnections} connections to the engine were left over.`);
  if (fileDescriptors > 0) missed.push(`${fileDescriptors} file descriptors were left over.`);
  if (figures.stalledLogs > 0) missed.push(`${figures.stalledLogs} followed logs stopped receiving lines.`);
  if (figures.echoesSeen < figures.echoesSent) {
    missed.push(`${figures.echoesSent - figures.echoesSeen} of ${figures.echoesSent} terminal commands got no answer.`);
  }
  return missed;
}

function percent(fraction: number): string {
  return `${fraction >= 0 ? '+' : ''}${(fraction * 100).toFixed(1)}%`;
}

/** The one line a run prints. */
export function figuresLine(f: SoakFigures): string {
  const rss = f.rss;
  return [
    `soak ${f.minutes} min: ${f.containers} containers, ${f.followedLogs} followed logs (${f.logLines.toLocaleString('en')} lines, ${f.stalledLogs} stalled),`,
    `${f.terminals} terminals (${f.echoesSeen}/${f.echoesSent} echoes), ${f.churnCommands} churn commands;`,
    `RSS ${rss.baselineMiB.toFixed(1)} → ${rss.endMiB.toFixed(1)} MiB (${percent(rss.growth)}, peak ${rss.peakMiB.toFixed(1)}; goal < +10%);`,
    `events missed ${f.eventsMissed} (settled in ${(f.settleMs / 1000).toFixed(1)} s; goal 0);`,
    `left over: ${f.leftovers.execSessions} exec sessions, ${f.leftovers.engineConnections} engine connections, ${f.leftovers.fileDescriptors} fds (goal 0)`,
  ].join(' ');
}
