/** The shapes every terminal source shares (shell exec, attach, debug shell): sizes, shell options, the source itself. */

/** How to start the shell. Everything is optional: the default is bash, else sh, as the image's user. */
export interface ShellOptions {
  /** An absolute path to a shell; without it, /bin/bash then /bin/sh. */
  shell?: string;
  /** A command line run in place of the interactive shell (by the shell, so it may use arguments). */
  command?: string;
  user?: string;
  workdir?: string;
  /** Extra environment, e.g. a PATH for the debug copy's busybox. */
  env?: string[];
  /** A directory the wrapper changes to before the shell (where the engine's WorkingDir is refused, /proc/1/root). */
  startIn?: string;
}

export interface TerminalSize {
  cols: number;
  rows: number;
}

/** What a terminal runs on: a shell exec, an attach, or a debug shell. TerminalSession is one. */
export interface TerminalSource {
  /** What the TTY wrote, as it wrote it (UTF-8 bytes; xterm decodes them). */
  readonly output: AsyncIterable<Uint8Array>;
  write(data: string): void;
  resize(size: TerminalSize): Promise<void>;
  /** Resolves when the source ends: the exit code when known. */
  readonly exited: Promise<number | null>;
  close(): Promise<void>;
}
