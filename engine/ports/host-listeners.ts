/**
 * Who listens on a TCP port of this computer, read from what each system offers. Pure parsers here; the
 * lookups that run them are in host-port-lookup.ts.
 * - Linux: /proc/net/tcp and tcp6 (the socket's inode and owner uid), then /proc/PID/fd links
 *   "socket:[INODE]" name the process; /proc/PID/comm its program.
 * - macOS: `lsof -nP -iTCP:PORT -sTCP:LISTEN`.
 * - Windows: `netstat -ano -p TCP` (the owning pid), then `tasklist /FO CSV /NH` (its image name).
 */

export interface ProcListener {
  port: number;
  inode: number;
  uid: number;
}

export interface ProcessListener {
  pid: number;
  program: string;
}

const TCP_LISTEN = '0A';

/** The listening sockets of a /proc/net/tcp or /proc/net/tcp6 table. */
export function parseProcNetTcp(table: string): ProcListener[] {
  const listeners: ProcListener[] = [];
  for (const line of table.split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 10 || fields[3] !== TCP_LISTEN) continue;
    const port = parseInt(fields[1]!.split(':')[1] ?? '', 16);
    const uid = Number(fields[7]);
    const inode = Number(fields[9]);
    if (Number.isInteger(port) && Number.isInteger(inode) && inode > 0) listeners.push({ port, inode, uid });
  }
  return listeners;
}

/** The inode of a /proc/PID/fd link's target ("socket:[12345]"), or null for anything else. */
export function socketInode(linkTarget: string): number | null {
  const match = /^socket:\[(\d+)\]$/.exec(linkTarget);
  return match ? Number(match[1]) : null;
}

/** `lsof -nP -iTCP:PORT -sTCP:LISTEN`: COMMAND PID USER … per line after the header. */
export function parseLsofListeners(output: string): ProcessListener[] {
  const seen = new Map<number, ProcessListener>();
  for (const line of output.split('\n').slice(1)) {
    const match = /^(\S+)\s+(\d+)\s/.exec(line);
    if (!match) continue;
    const pid = Number(match[2]);
    // lsof escapes spaces and odd bytes in COMMAND as \xNN.
    const program = match[1]!.replace(/\\x([0-9a-f]{2})/gi, (_all, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    if (!seen.has(pid)) seen.set(pid, { pid, program });
  }
  return [...seen.values()];
}

/** `netstat -ano -p TCP` (Windows): the pids LISTENING on `port`, IPv4 or IPv6. */
export function parseNetstatListeners(output: string, port: number): number[] {
  const pids = new Set<number>();
  for (const line of output.split(/\r?\n/)) {
    const fields = line.trim().split(/\s+/);
    if (fields.length !== 5 || !/^TCP/i.test(fields[0]!) || fields[3] !== 'LISTENING') continue;
    const local = fields[1]!;
    if (Number(local.slice(local.lastIndexOf(':') + 1)) === port) pids.add(Number(fields[4]));
  }
  return [...pids];
}

/** `tasklist /FO CSV /NH` (Windows): image name by pid. */
export function parseTasklist(output: string): Map<number, string> {
  const programs = new Map<number, string>();
  for (const line of output.split(/\r?\n/)) {
    const match = /^"([^"]*)","(\d+)"/.exec(line.trim());
    if (match) programs.set(Number(match[2]), match[1]!);
  }
  return programs;
}
