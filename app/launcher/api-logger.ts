/**
 * Logs API calls with truncated arguments. Terminal input is never logged: it is what a person types,
 * passwords included; nor is any argument named like a secret (a registry login's password). Failures
 * always; every call with BERTH_LOG=debug.
 */
import type { ApiLogger } from '../backend/api-session.js';

const MAX_ARGS_CHARS = 160;
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

export function createConsoleApiLogger(debug = process.env.BERTH_LOG === 'debug'): ApiLogger {
  return {
    call(peerId, name, args, outcome, ms) {
      if (outcome === 'ok' && !debug) return;
      const result = outcome === 'ok' ? 'ok' : `${outcome.code}: ${outcome.message}`;
      process.stderr.write(
        `[api] ${peerId.slice(0, 8)} ${name} ${summarizeArgs(name, args)} -> ${result} (${ms.toFixed(1)} ms)\n`,
      );
    },
  };
}
