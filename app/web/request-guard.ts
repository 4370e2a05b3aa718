/**
 * Browser mode's door: who may talk to the server. Pure functions over headers, so every refusal is
 * unit-tested. The server listens on 127.0.0.1 only, but any local process and any web page the user
 * visits can reach loopback; the token, the Host check (DNS rebinding) and the Origin check
 * (cross-site requests) are what keep them out.
 */
import { timingSafeEqual } from 'node:crypto';

export type GuardDecision = { ok: true } | { ok: false; status: 401 | 403 | 421; reason: string };

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

export function checkToken(headers: { cookie?: string; authorization?: string }, config: GuardConfig): GuardDecision {
  const bearer = headers.authorization?.startsWith('Bearer ') ? headers.authorization.slice(7) : undefined;
  const given = bearer ?? readCookie(headers.cookie, cookieName(config.port));
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

export function firstRefusal(...decisions: GuardDecision[]): GuardDecision {
  return decisions.find((decision) => !decision.ok) ?? { ok: true };
}
