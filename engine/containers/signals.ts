/** Signals a person may send with Kill: Linux names (with or without SIG), RTMIN+n/RTMAX-n, or 1..64. */
import { EngineError } from '../core/index.js';

const LINUX_SIGNALS = [
  'HUP',
  'INT',
  'QUIT',
  'ILL',
  'TRAP',
  'ABRT',
  'IOT',
  'BUS',
  'FPE',
  'KILL',
  'USR1',
  'SEGV',
  'USR2',
  'PIPE',
  'ALRM',
  'TERM',
  'STKFLT',
  'CHLD',
  'CONT',
  'STOP',
  'TSTP',
  'TTIN',
  'TTOU',
  'URG',
  'XCPU',
  'XFSZ',
  'VTALRM',
  'PROF',
  'WINCH',
  'IO',
  'POLL',
  'PWR',
  'SYS',
] as const;

const KNOWN: ReadonlySet<string> = new Set(LINUX_SIGNALS);

/** The signals the Kill dialog offers first. */
export const COMMON_SIGNALS = ['SIGKILL', 'SIGTERM', 'SIGINT', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2'] as const;

/** "sigterm", "TERM", "15" or "RTMIN+3" as the engine takes it ("SIGTERM", "15", "SIGRTMIN+3"); throws a sentence otherwise. */
export function normaliseSignal(input: string): string {
  const text = input.trim();
  if (/^\d+$/.test(text)) {
    const number = Number(text);
    if (number >= 1 && number <= 64) return String(number);
  } else {
    const name = text.toUpperCase().replace(/^SIG/, '');
    if (KNOWN.has(name)) return `SIG${name}`;
    const realtime = /^RT(MIN|MAX)([+-]\d{1,2})?$/.exec(name);
    if (realtime) {
      const offset = Number(realtime[2] ?? 0);
      const valid = realtime[1] === 'MIN' ? offset >= 0 && offset <= 30 : offset <= 0 && offset >= -30;
      if (valid) return `SIG${name}`;
    }
  }
  throw new EngineError(
    'invalid-argument',
    `"${text}" is not a signal. Use a name such as SIGTERM, SIGKILL or SIGHUP, or a number from 1 to 64.`,
  );
}
