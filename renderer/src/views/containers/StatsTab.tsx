import { useEffect, useState } from 'react';
import type { StatsSample } from '../../../../app/contract/container-contract';
import type { ContainerSummary } from '../../../../engine/core/engine-types';
import { useApi } from '../../api/api-context';
import { formatBytes } from '../../format';
import { addReading, emptySeries, formatPercent, type StatsSeries } from './stats-history';
import { StatsChart } from './StatsChart';

const BLUE = '#3b82f6';
const ORANGE = '#f97316';
const GREY = '#8b949e';

const rateText = (value: number | null | undefined) =>
  value === null || value === undefined ? '–' : `${formatBytes(Math.round(value))}/s`;

interface History {
  series: StatsSeries;
  last: StatsSample | null;
}

/** Readings of a running container, gathered while the tab is open (one subscription, disposed with it). */
function useStatsHistory(id: string, running: boolean): History & { ended: boolean } {
  const api = useApi();
  const [history, setHistory] = useState<History>({ series: emptySeries(), last: null });
  const [ended, setEnded] = useState(false);
  useEffect(() => {
    if (!running) return;
    const subscription = api.containers.stats(
      { id },
      {
        next: (sample) => {
          setEnded(false);
          setHistory((current) => ({ series: addReading(current.series, current.last, sample), last: sample }));
        },
        error: () => setEnded(true),
        complete: () => setEnded(true),
      },
    );
    return () => subscription.dispose();
  }, [api, id, running]);
  return { ...history, ended };
}

/** The Stats tab: live charts of CPU, memory, network and disk from the engine's stats stream. */
export function StatsTab({ container }: { container: ContainerSummary }) {
  const running = container.state === 'running';
  const { series, last, ended } = useStatsHistory(container.id, running);
  const memoryPeak = Math.max(0, ...series.memory);
  // A container without a limit gets the host's memory as its limit: drawing that would flatten the usage line.
  const limit = last?.memoryLimit ?? 0;
  const drawLimit = limit > 0 && limit < memoryPeak * 4;

  if (!running && !last) {
    return <p className="empty">The container is not running: start it to see its resource use.</p>;
  }
  return (
    <div className="stats-tab">
      {!running || ended ? <p className="muted">The container stopped: the charts show its last readings.</p> : null}
      {running && !last ? <p className="muted">Waiting for the first reading…</p> : null}
      <div className="stats-grid">
        <StatsChart
          title="CPU"
          summary={`${formatPercent(last?.cpuPercent ?? null)} of ${last?.onlineCpus ?? '–'} CPUs`}
          time={series.time}
          series={[{ label: 'CPU %', color: BLUE, values: series.cpu }]}
          format={(value) => `${value.toFixed(value < 1 ? 2 : value < 10 ? 1 : 0)} %`}
        />
        <StatsChart
          title="Memory"
          summary={last ? `${formatBytes(last.memoryUsage)} of ${formatBytes(last.memoryLimit)} limit` : '–'}
          time={series.time}
          series={[
            { label: 'Usage', color: BLUE, values: series.memory },
            { label: 'Limit', color: GREY, values: series.memoryLimit.map((value) => (drawLimit ? value : null)), dash: [4, 4] },
          ]}
          format={(value) => formatBytes(Math.round(value))}
        />
        <StatsChart
          title="Network"
          summary={`received ${rateText(series.networkRx.at(-1))}, sent ${rateText(series.networkTx.at(-1))}`}
          time={series.time}
          series={[
            { label: 'Received', color: BLUE, values: series.networkRx },
            { label: 'Sent', color: ORANGE, values: series.networkTx },
          ]}
          format={(value) => `${formatBytes(Math.round(value))}/s`}
        />
        <StatsChart
          title="Block I/O"
          summary={`read ${rateText(series.blockRead.at(-1))}, written ${rateText(series.blockWrite.at(-1))}`}
          time={series.time}
          series={[
            { label: 'Read', color: BLUE, values: series.blockRead },
            { label: 'Written', color: ORANGE, values: series.blockWrite },
          ]}
          format={(value) => `${formatBytes(Math.round(value))}/s`}
        />
      </div>
      {last ? (
        <p className="muted">
          Totals: {formatBytes(last.networkRx)} received, {formatBytes(last.networkTx)} sent, {formatBytes(last.blockRead)} read,{' '}
          {formatBytes(last.blockWrite)} written · {last.pids} processes
        </p>
      ) : null}
    </div>
  );
}
