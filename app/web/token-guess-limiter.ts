/**
 * Slows down guessing browser mode's token. Every peer is on loopback, so there is no address to
 * tell one guesser from another: the budget is the server's. Wrong tokens spend it (a bucket of
 * TOKEN_GUESS_POLICY.burst, refilled one per refillMs); while it is empty, no token is checked at
 * all, right or wrong, and the answer is 429 with Retry-After. Refusing the right token too is what
 * makes the lockout count: answering it would tell a guesser when it had guessed right.
 *
 * Why a hostile web page cannot lock the real user out with it: only requests that passed the Host,
 * Origin and fetch-metadata checks reach the token check (request-guard.ts), and a page on another
 * site or port fails those first, so its guesses are never counted. What can spend the budget is a
 * local program, which could as well flood the port; the lockout lasts only while it keeps guessing,
 * and the pages already connected keep their WebSocket throughout.
 */
export interface TokenGuessPolicy {
  /** Wrong tokens allowed in a row before the lockout starts. */
  burst: number;
  /** One more wrong token is allowed after each of these. */
  refillMs: number;
}

/** 5 wrong tokens at once, then one per 12 s: at most 5 a minute, 7,200 a day. */
export const TOKEN_GUESS_POLICY: TokenGuessPolicy = { burst: 5, refillMs: 12_000 };

export class TokenGuessLimiter {
  private budget: number;
  private updatedAt: number;

  constructor(
    readonly policy: TokenGuessPolicy = TOKEN_GUESS_POLICY,
    private readonly now: () => number = Date.now,
  ) {
    this.budget = policy.burst;
    this.updatedAt = now();
  }

  /** How long until a token may be checked again; 0 when it may be now. */
  lockedForMs(): number {
    this.refill();
    return this.budget >= 1 ? 0 : Math.ceil((1 - this.budget) * this.policy.refillMs);
  }

  recordWrongToken(): void {
    this.refill();
    this.budget = Math.max(0, this.budget - 1);
  }

  private refill(): void {
    const now = this.now();
    this.budget = Math.min(this.policy.burst, this.budget + (now - this.updatedAt) / this.policy.refillMs);
    this.updatedAt = now;
  }
}
