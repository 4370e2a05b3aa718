/** Tests' clock for the rest controller and the memory squeeze. */
import type { RestClock } from '../rest/rest-controller.js';

/** A clock whose time moves only when the test says; timers fire as it passes them. */
export class FakeClock implements RestClock {
  time = 0;
  private timers: Array<{ at: number; fn: () => void }> = [];
  now = () => this.time;
  schedule = (fn: () => void, ms: number) => {
    const timer = { at: this.time + ms, fn };
    this.timers.push(timer);
    return () => void (this.timers = this.timers.filter((t) => t !== timer));
  };
  /** Moves time on, firing due timers in order, and lets their promises settle. */
  async advance(ms: number): Promise<void> {
    const until = this.time + ms;
    for (;;) {
      const next = this.timers.filter((t) => t.at <= until).sort((a, b) => a.at - b.at)[0];
      if (!next) break;
      this.timers = this.timers.filter((t) => t !== next);
      this.time = next.at;
      next.fn();
      await settle();
    }
    this.time = until;
    await settle();
  }
}

export const settle = async () => {
  for (let i = 0; i < 20; i++) await Promise.resolve();
};
