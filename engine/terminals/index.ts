// Terminal sessions, owned by the session manager: shell execs, attach to the main process, debug shells, output with backpressure, a ring buffer to reattach.
export { TerminalSessionManager } from './terminal-session-manager.js';
