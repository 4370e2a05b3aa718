import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { contractEntries } from '../contract.js';
import { argumentsOf } from './contract-arbitraries.js';

const SAMPLES = 60;

describe('contract arbitraries', () => {
  it.each(contractEntries())('%s: well-shaped arguments are what the contract accepts', (name, definition) => {
    const samples = fc.sample(argumentsOf(name, definition).wellShaped, { numRuns: SAMPLES, seed: 7 });
    const accepted = samples.filter((args) => definition.args.safeParse(args).success);
    // Refinements JSON Schema cannot say (a path without "..", a port range) refuse a few; most must pass.
    expect(accepted.length / samples.length).toBeGreaterThanOrEqual(0.8);
  });

  it.each(contractEntries())('%s: malformed arguments are mostly refused', (name, definition) => {
    const samples = fc.sample(argumentsOf(name, definition).malformed, { numRuns: SAMPLES, seed: 11 });
    const refused = samples.filter((args) => !definition.args.safeParse(args).success);
    expect(refused.length / samples.length).toBeGreaterThanOrEqual(0.5);
  });
});
