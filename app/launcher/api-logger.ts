/**
 * Logs API calls with truncated arguments. Terminal input is never logged: it is what a person types,
 * passwords included; nor is any argument named like a secret (a registry login's password). Failures
 * and refusals always; every call with BERTH_LOG=debug.
 *
 * A peer decides what it sends, so it must not decide how much is logged: every line is cut
 * (arguments to 160 characters, messages to 300), and each peer gets at most LINES_PER_SECOND lines a
 * second; the rest are counted, and the count is logged with that peer's next line in a later second.
 */
import type { ApiLogger } from '../backend/api-session.js';
import { boundedText } from '../backend/session-bounds.js';

const MAX_ARGS_CHARS = 160;
const MAX_MESSAGE_CHARS = 300;
const LINES_PER_SECOND = 20;
const SECRET_KEY = /pass(word)?|secret|token|credential|auth/i;

export function summarizeArgs(name: string, args: unknown): string {
  if (name === 'terminal.input') return '{…redacted…}';
  let text: string;
  try {
    // Redacted before truncation, so a secret can never be cut in half and half-logged.
    text = JSON.stringify(args, (key, value: unknown) => (key !== '' && SECRET_KEY.test(key) ? '…redacted…' : value)) ?? '';
  } catch {
    text = '[unserializable]';
  }
  return text.length > MAX_ARGS_CHARS ? `${text.slice(0, MAX_ARGS_CHARS)}…` : text;
}

/** At most `perSecond` lines a second for each peer; what is held back is counted, then said once. */
export function createLineBudget(write: (line: string) => void, perSecond = LINES_PER_SECOND, now = () => Date.now()) {
  const peers = new Map<string, { second: number; written: number; suppressed: number }>();
  return (peerId: string, line: string) => {
    const second = Math.floor(now() / 1000);
    let budget = peers.get(peerId);
    if (!budget || budget.second !== second) {
      if (budget && budget.suppressed > 0) {
        write(
          `[api] ${peerId.slice(0, 8)} ${budget.suppressed} more lines like the above were not logged (at most ${perSecond} a second)\n`,
        );
      }
      budget = { second, written: 0, suppressed: 0 };
      peers.set(peerId, budget);
      // Forget peers that went quiet, so the map does not grow with every connection ever made.
      if (peers.size > 256) for (const [id, old] of peers) if (old.second < second - 1) peers.delete(id);
    }
    if (budget.written >= perSecond) {
      budget.suppressed += 1;
      return;
    }
    budget.written += 1;
    write(line);
  };
}

export function createConsoleApiLogger(
  debug = process.env.BERTH_LOG === 'debug',
  write: (line: string) => void = (line) => process.stderr.write(line),
): ApiLogger {
  const log = createLineBudget(write);
  return {
    call(peerId, name, args, outcome, ms) {
      if (outcome === 'ok' && !debug) return;
      const result = outcome === 'ok' ? 'ok' : `${outcome.code}: ${boundedText(outcome.message, MAX_MESSAGE_CHARS)}`;
      log(peerId, `[api] ${peerId.slice(0, 8)} ${name} ${summarizeArgs(name, args)} -> ${result} (${ms.toFixed(1)} ms)\n`);
    },
    refusal(peerId, what) {
      log(peerId, `[api] ${peerId.slice(0, 8)} refused: ${boundedText(what, MAX_MESSAGE_CHARS)}\n`);
    },
  };
}
