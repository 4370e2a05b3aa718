/**
 * Logs API calls with truncated arguments. Terminal input is never logged: it is what a person types,
 * passwords included. Failures always; every call with BERTH_LOG=debug.
 */
import type { ApiLogger } from '../backend/api-session.js';

const MAX_ARGS_CHARS = 160;

export function summarizeArgs(name: string, args: unknown): string {
  if (name === 'terminal.input') return '{…redacted…}';
  let text: string;
  try {
    text = JSON.stringify(args) ?? '';
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
