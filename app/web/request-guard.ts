/**
 * Browser mode's door: who may talk to the server. Pure functions over headers, so every refusal is
 * unit-tested. The server listens on 127.0.0.1 only, but any local process and any web page the user
 * visits can reach loopback; the token, the Host check (DNS rebinding) and the Origin check
 * (cross-site requests) are what keep them out.
 */
import { timingSafeEqual } from 'node:crypto';

export type GuardDecision =
  | { ok: true }
  | { ok: false; status: 401 | 403 | 421 | 429; reason: string; /** With 429: when to try again. */ retryAfterSeconds?: number };

export interface GuardConfig {
  port: number;
  token: string;
}

export function allowedHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`];
}

export function allowedOrigins(port: number): string[] {
  return allowedHosts(port).map((host) => `http://${host}`);
}

export function cookieName(port: number): string {
  // Cookies ignore ports, so two Berths on one machine need different names.
  return `berth_token_${port}`;
}

export function tokensEqual(expected: string, given: string | undefined): boolean {
  if (!given) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key !== name) continue;
    const value = rest.join('=');
    try {
      return decodeURIComponent(value);
    } catch {
      return value; // malformed %-escapes (any page on 127.0.0.1 can set cookies) are just a wrong token, not a crash
    }
  }
  return undefined;
}

export function checkHost(host: string | undefined, config: GuardConfig): GuardDecision {
  if (host && allowedHosts(config.port).includes(host.toLowerCase())) return { ok: true };
  return {
    ok: false,
    status: 421,
    reason: `Refused: Berth answers only to 127.0.0.1:${config.port} and localhost:${config.port}, not to the Host "${host ?? ''}" (a DNS-rebinding page?).`,
  };
}

/** A missing Origin is a same-origin navigation or a non-browser client; a present one must be ours. */
export function checkOrigin(origin: string | undefined, config: GuardConfig, required: boolean): GuardDecision {
  if (origin === undefined) {
    return required
      ? { ok: false, status: 403, reason: 'Refused: this request must come from the Berth page (no Origin header).' }
      : { ok: true };
  }
  if (allowedOrigins(config.port).includes(origin.toLowerCase())) return { ok: true };
  return { ok: false, status: 403, reason: `Refused: requests from another site (${origin}) may not use Berth.` };
}

export interface FetchMetadata {
  'sec-fetch-site'?: string;
  'sec-fetch-mode'?: string;
}

/**
 * Fetch metadata: browsers tell where a request comes from. SameSite=Strict keeps the cookie off
 * requests from other sites, but a page on another port of 127.0.0.1 or localhost is the *same site*
 * (sites ignore ports), so it gets the cookie; only `same-origin` (our page) and `none` (the user
 * typing or opening the link) are ours. Clients that send no Sec-Fetch-Site (not a browser, or an old
 * one) are judged by Origin and the token alone.
 */
export function isOwnFetch(headers: FetchMetadata): boolean {
  const site = headers['sec-fetch-site'];
  return site === undefined || site === 'same-origin' || site === 'none';
}

/** A page elsewhere navigating to Berth: it gets the door page, with its cookie left unread. */
export function isForeignNavigation(headers: FetchMetadata): boolean {
  return !isOwnFetch(headers) && headers['sec-fetch-mode'] === 'navigate';
}

/** Anything but a navigation from elsewhere (script, fetch, WebSocket, form POST) is refused. */
export function checkFetchSite(headers: FetchMetadata): GuardDecision {
  if (isOwnFetch(headers) || isForeignNavigation(headers)) return { ok: true };
  return {
    ok: false,
    status: 403,
    reason: `Refused: the browser says this request comes from another site (Sec-Fetch-Site: ${headers['sec-fetch-site']}); only the Berth page may call Berth.`,
  };
}

/** The token a request presents (Bearer first, then our cookie), or undefined when it presents none. */
export function presentedToken(headers: { cookie?: string; authorization?: string }, port: number): string | undefined {
  const bearer = headers.authorization?.startsWith('Bearer ') ? headers.authorization.slice(7) : undefined;
  return bearer ?? readCookie(headers.cookie, cookieName(port));
}

export function checkToken(headers: { cookie?: string; authorization?: string }, config: GuardConfig): GuardDecision {
  const given = presentedToken(headers, config.port);
  if (given === undefined) {
    return {
      ok: false,
      status: 401,
      reason: 'Refused: this request carries no Berth token. Open the link Berth printed when it started.',
    };
  }
  if (!tokensEqual(config.token, given)) {
    return {
      ok: false,
      status: 401,
      reason:
        'Refused: the Berth token is wrong or from an earlier start (Berth makes a new one each time it starts). Open the link Berth printed.',
    };
  }
  return { ok: true };
}

/** The answer while token guessing is locked out (token-guess-limiter.ts). */
export function guessingLockout(lockedForMs: number): Extract<GuardDecision, { ok: false }> {
  const seconds = Math.max(1, Math.ceil(lockedForMs / 1000));
  return {
    ok: false,
    status: 429,
    retryAfterSeconds: seconds,
    reason: `Refused: too many wrong Berth tokens were tried (is a program guessing it?); Berth checks no token for ${seconds} s. Try again then.`,
  };
}

export function firstRefusal(...decisions: GuardDecision[]): GuardDecision {
  return decisions.find((decision) => !decision.ok) ?? { ok: true };
}
