import { describe, expect, it } from 'vitest';
import { EarlyBootWatch } from './early-boot-watch.js';

describe('EarlyBootWatch', () => {
  it('calls a boot stalled when the configuration step has not come within the time', () => {
    const watch = new EarlyBootWatch(1_000, 20_000);
    watch.observe('BERTH-STEP kernel t=0.95');
    watch.observe('BERTH-STEP rootfs t=1.20');
    expect(watch.stalled(20_999)).toBe(false);
    expect(watch.stalled(21_001)).toBe(true);
  });

  it('never restarts a boot once the guest may have opened the data disk', () => {
    for (const line of [
      'BERTH-STEP config t=1.3',
      'BERTH-STEP disk t=1.7',
      'BERTH-READY t=3.1',
      'BERTH-ERROR disk: mount failed',
    ]) {
      const watch = new EarlyBootWatch(0, 20_000);
      watch.observe(line);
      expect(watch.pastRestartPoint).toBe(true);
      expect(watch.stalled(600_000)).toBe(false);
    }
  });

  it('is not fooled by kernel messages that mention a marker', () => {
    const watch = new EarlyBootWatch(0, 20_000);
    watch.observe('[   22.0] watchdog: BUG: soft lockup - CPU#0 stuck for 22s! [init:1]');
    watch.observe('echo BERTH-STEP config');
    watch.observe('BERTH-STEP configure');
    expect(watch.stalled(20_001)).toBe(true);
  });
});
