import { useEffect, useLayoutEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface ChartSeries {
  label: string;
  color: string;
  values: Array<number | null>;
  dash?: number[];
}

interface StatsChartProps {
  title: string;
  /** What a screen reader hears, and what a person reads above the chart: the latest values. */
  summary: string;
  time: number[];
  series: ChartSeries[];
  format: (value: number) => string;
  /** Upper bound of the y axis; by default from the data. */
  maxY?: number;
}

const HEIGHT = 150;
const TIME_FORMAT: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit', second: '2-digit' };

/** One live chart (uPlot on a canvas): created once, fed new data, resized with its box, destroyed on unmount. */
export function StatsChart({ title, summary, time, series, format, maxY }: StatsChartProps) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  // The chart's callbacks read the latest formatter and bound through refs, so the chart is not rebuilt for them.
  const formatRef = useRef(format);
  const maxRef = useRef(maxY);
  useLayoutEffect(() => {
    formatRef.current = format;
    maxRef.current = maxY;
  });
  const labels = series.map((entry) => `${entry.label}:${entry.color}`).join('|');

  useEffect(() => {
    const element = host.current!;
    const chart = new uPlot(
      {
        width: Math.max(200, element.clientWidth),
        height: HEIGHT,
        scales: {
          x: { time: true },
          y: { range: (_self, _min, max) => [0, Math.max(maxRef.current ?? max * 1.15, 1e-9)] },
        },
        axes: [
          {
            stroke: 'currentColor',
            space: 90,
            grid: { stroke: 'rgba(128,128,128,0.15)' },
            ticks: { stroke: 'rgba(128,128,128,0.3)' },
            values: (_self, splits) => splits.map((seconds) => new Date(seconds * 1000).toLocaleTimeString([], TIME_FORMAT)),
          },
          {
            stroke: 'currentColor',
            size: 70,
            grid: { stroke: 'rgba(128,128,128,0.15)' },
            ticks: { stroke: 'rgba(128,128,128,0.3)' },
            values: (_self, splits) => splits.map((value) => formatRef.current(value)),
          },
        ],
        series: [
          {},
          ...labels.split('|').map((entry, index) => ({
            label: entry.split(':')[0],
            stroke: entry.split(':')[1],
            width: 1.5,
            dash: series[index]?.dash,
            points: { show: false },
            value: (_self: uPlot, value: number | null) => (value === null ? '–' : formatRef.current(value)),
          })),
        ],
        legend: { live: false },
        cursor: { drag: { x: false, y: false } },
      },
      [[]],
      element,
    );
    plot.current = chart;
    const observer = new ResizeObserver(() => {
      if (element.clientWidth > 0) chart.setSize({ width: element.clientWidth, height: HEIGHT });
    });
    observer.observe(element);
    return () => {
      observer.disconnect();
      chart.destroy();
      plot.current = null;
    };
    // The chart is rebuilt only when its series change; data arrives through setData below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [labels]);

  useEffect(() => {
    plot.current?.setData([time, ...series.map((entry) => entry.values)] as uPlot.AlignedData);
  }, [time, series]);

  return (
    <figure className="stats-chart">
      <figcaption>
        <strong>{title}</strong> <span className="muted">{summary}</span>
      </figcaption>
      <div ref={host} role="img" aria-label={`${title}: ${summary} (${time.length} readings)`} />
    </figure>
  );
}
