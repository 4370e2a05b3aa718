import { describe, expect, it } from 'vitest';
import { SoakSettingError, soakPlanFrom } from './soak-plan.js';

describe('soakPlanFrom', () => {
  it('runs 10 minutes over 500 containers by default, warming up for a minute', () => {
    const plan = soakPlanFrom({});
    expect(plan).toMatchObject({ loadMs: 600_000, containers: 500, followedLogs: 50, terminals: 10, warmUpMs: 60_000 });
    expect(plan.rssWindowMs).toBe(30_000);
  });

  it('scales the warm-up and the windows down for a short run', () => {
    const plan = soakPlanFrom({ BERTH_SOAK_MINUTES: '2', BERTH_SOAK_CONTAINERS: '200' });
    expect(plan).toMatchObject({ loadMs: 120_000, containers: 200, warmUpMs: 30_000, rssWindowMs: 20_000 });
  });

  it.each([
    ['BERTH_SOAK_MINUTES', 'ten', /BERTH_SOAK_MINUTES="ten" is not valid: give a number from 1 to 1440/],
    ['BERTH_SOAK_MINUTES', '0.5', /from 1 to 1440/],
    ['BERTH_SOAK_CONTAINERS', '59', /BERTH_SOAK_CONTAINERS="59" is not valid: give a whole number from 60 to 5000/],
    ['BERTH_SOAK_CONTAINERS', '100.5', /a whole number/],
  ])('refuses %s=%s with a sentence naming the setting and its range', (name, value, message) => {
    expect(() => soakPlanFrom({ [name]: value })).toThrow(SoakSettingError);
    expect(() => soakPlanFrom({ [name]: value })).toThrow(message);
  });
});
