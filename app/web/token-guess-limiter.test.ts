import { describe, expect, it } from 'vitest';
import { TOKEN_GUESS_POLICY, TokenGuessLimiter } from './token-guess-limiter.js';

function fakeClock() {
  let now = 1_000_000;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('TokenGuessLimiter', () => {
  it('allows the burst of wrong tokens, then locks until one more is refilled', () => {
    const clock = fakeClock();
    const limiter = new TokenGuessLimiter(TOKEN_GUESS_POLICY, clock.now);
    for (let n = 0; n < TOKEN_GUESS_POLICY.burst; n += 1) {
      expect(limiter.lockedForMs()).toBe(0);
      limiter.recordWrongToken();
    }
    expect(limiter.lockedForMs()).toBe(TOKEN_GUESS_POLICY.refillMs);
    clock.advance(TOKEN_GUESS_POLICY.refillMs - 1);
    expect(limiter.lockedForMs()).toBe(1);
    clock.advance(1);
    expect(limiter.lockedForMs()).toBe(0);
  });

  it('makes 1,000 guesses take hours even for a guesser that retries the moment Retry-After allows', () => {
    const clock = fakeClock();
    const limiter = new TokenGuessLimiter(TOKEN_GUESS_POLICY, clock.now);
    const start = clock.now();
    let guesses = 0;
    while (guesses < 1_000) {
      const wait = limiter.lockedForMs();
      if (wait > 0) {
        clock.advance(wait);
      } else {
        limiter.recordWrongToken();
        guesses += 1;
      }
    }
    const hours = (clock.now() - start) / 3_600_000;
    // The token is 32 random bytes: even half of 2^256 guesses at this rate is beyond any time scale.
    const yearsForHalfTheTokens = ((2 ** 255 / 1_000) * hours) / (24 * 365);
    console.log(
      `1,000 wrong tokens take ${hours.toFixed(2)} h; half of a 256-bit token space: ${yearsForHalfTheTokens.toExponential(1)} years`,
    );
    expect(hours).toBeGreaterThanOrEqual(((1_000 - TOKEN_GUESS_POLICY.burst) * TOKEN_GUESS_POLICY.refillMs) / 3_600_000);
    expect(hours).toBeGreaterThan(3);
  });

  it('refills to the burst and no further while nobody guesses', () => {
    const clock = fakeClock();
    const limiter = new TokenGuessLimiter(TOKEN_GUESS_POLICY, clock.now);
    for (let n = 0; n < TOKEN_GUESS_POLICY.burst; n += 1) limiter.recordWrongToken();
    clock.advance(24 * 3_600_000);
    for (let n = 0; n < TOKEN_GUESS_POLICY.burst; n += 1) {
      expect(limiter.lockedForMs()).toBe(0);
      limiter.recordWrongToken();
    }
    expect(limiter.lockedForMs()).toBeGreaterThan(0);
  });
});
