/**
 * CPU and memory for the list's running rows in view: one `statsMany` subscription for those rows (the
 * app shares one engine stats stream per container between all watchers and sends all rows' latest
 * readings in one message a second). It follows the rows in view after scrolling settles, and stops
 * while the page is hidden, so an idle or minimised Berth reads no stats at all.
 */
import { useEffect, useState } from 'react';
import type { StatsSample } from '../../../../app/contract/container-contract';
import { useApi } from '../../api/api-context';

/** Scrolling changes the rows in view many times a second; subscribe once it rests. */
const SETTLE_MS = 300;

function usePageVisible(): boolean {
  const [visible, setVisible] = useState(() => document.visibilityState === 'visible');
  useEffect(() => {
    const update = () => setVisible(document.visibilityState === 'visible');
    document.addEventListener('visibilitychange', update);
    return () => document.removeEventListener('visibilitychange', update);
  }, []);
  return visible;
}

export function useListStats(runningIdsInView: readonly string[]): ReadonlyMap<string, StatsSample> {
  const api = useApi();
  const visible = usePageVisible();
  const [samples, setSamples] = useState<ReadonlyMap<string, StatsSample>>(new Map());
  const key = [...runningIdsInView].sort().join(',');
  const [settledKey, setSettledKey] = useState(key);

  useEffect(() => {
    const timer = setTimeout(() => setSettledKey(key), SETTLE_MS);
    return () => clearTimeout(timer);
  }, [key]);

  useEffect(() => {
    if (!visible || settledKey === '') return;
    const ids = settledKey.split(',').slice(0, 200);
    const subscription = api.containers.statsMany(
      { ids },
      {
        next: (batch) =>
          setSamples((current) => {
            const next = new Map(current);
            for (const sample of batch) next.set(sample.id, sample);
            return next;
          }),
      },
    );
    return () => subscription.dispose();
  }, [api, settledKey, visible]);

  return samples;
}
