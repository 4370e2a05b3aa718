/**
 * Why an exec could not start, read from what the engine printed into the exec's TTY (runc's message)
 * and its exit code. A person gets a sentence that names the thing to fix: the user, the directory,
 * the shell path; only unknown failures fall back to the engine's own words.
 */
import { EngineError } from '../core/index.js';

export type ExecFailure =
  | { kind: 'missing-command'; path: string }
  | { kind: 'unknown-user'; user: string }
  | { kind: 'missing-workdir'; path: string }
  | { kind: 'container-stopped' }
  | { kind: 'refused'; reason: string };

/** Exit codes of an exec whose command could not be run ("not found", "not executable"). */
const COMMAND_MISSING_EXIT_CODES = new Set([126, 127]);

export function classifyExecFailure(output: string, exitCode: number | null, command: string): ExecFailure {
  const text = output.trim();
  const user = /unable to find (?:user|group) ([^:\s]+)/i.exec(text);
  if (user) return { kind: 'unknown-user', user: user[1]! };
  const workdir = /chdir to cwd \("([^"]*)"\)/i.exec(text);
  if (workdir) return { kind: 'missing-workdir', path: workdir[1]! };
  if (/container [0-9a-f]+ is not running|is not running/i.test(text)) return { kind: 'container-stopped' };
  const missing = /exec: "([^"]+)": (?:stat [^:]+: )?(?:no such file|executable file not found|permission denied)/i.exec(text);
  if (missing) return { kind: 'missing-command', path: missing[1]! };
  if (/no such file|not found/i.test(text) || (text === '' && exitCode !== null && COMMAND_MISSING_EXIT_CODES.has(exitCode))) {
    return { kind: 'missing-command', path: command };
  }
  const reason = text.split('\n').pop()?.trim() || `exit code ${exitCode ?? 'unknown'}`;
  return { kind: 'refused', reason };
}

/** The error a person reads for a failure, in a container called `name`. */
export function execFailureError(failure: ExecFailure, name: string, command: string): EngineError {
  switch (failure.kind) {
    case 'missing-command':
      return new EngineError('invalid-argument', `${failure.path} does not exist in container ${name} (or is not executable).`);
    case 'unknown-user':
      return new EngineError('invalid-argument', `User "${failure.user}" does not exist in container ${name}.`);
    case 'missing-workdir':
      return new EngineError('invalid-argument', `The working directory ${failure.path} does not exist in container ${name}.`);
    case 'container-stopped':
      return new EngineError('not-running', `Container ${name} stopped while the terminal was opening.`);
    case 'refused':
      return new EngineError('engine-error', `The engine refused to start ${command} in container ${name}: ${failure.reason}`);
  }
}
