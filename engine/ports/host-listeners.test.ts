import { describe, expect, it } from 'vitest';
import { parseLsofListeners, parseNetstatListeners, parseProcNetTcp, parseTasklist, socketInode } from './host-listeners.js';

/** Real lines: python3 -m http.server listening on 127.0.0.1:18431 and [::1]:18432 (Debian, kernel 6.x). */
const PROC_NET_TCP = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode                                                     
   1: 0100007F:47FF 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 2347032 1 00000000766b0c84 100 0 0 10 0                   
   2: 0100007F:A517 0100007F:C350 01 00000000:00000000 00:00000000 00000000  1000        0 2330551 1 00000000e5ab372e 20 4 30 10 -1
`;
const PROC_NET_TCP6 = `  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000000000000000000001000000:4800 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 2346939 1 00000000bb298571 100 0 0 10 0
`;
/** Real output of `lsof -nP -iTCP:18431 -sTCP:LISTEN` (lsof 4.95); the last two lines were added for a second socket of one process and lsof's \\x escapes. */
const LSOF = `COMMAND   PID USER   FD   TYPE  DEVICE SIZE/OFF NODE NAME
python3 27877 root    3u  IPv4 2347032      0t0  TCP 127.0.0.1:18431 (LISTEN)
python3 27877 root    4u  IPv6 2347033      0t0  TCP [::1]:18431 (LISTEN)
Google\\x20 1200 me   20u  IPv4 0x1234      0t0  TCP *:18431 (LISTEN)
`;
/** `netstat -ano -p TCP` and `tasklist /FO CSV /NH` as Windows 10/11 print them. */
const NETSTAT = [
  '',
  'Active Connections',
  '',
  '  Proto  Local Address          Foreign Address        State           PID',
  '  TCP    0.0.0.0:135            0.0.0.0:0              LISTENING       1028',
  '  TCP    0.0.0.0:8080           0.0.0.0:0              LISTENING       4321',
  '  TCP    127.0.0.1:8080         127.0.0.1:52311        ESTABLISHED     4321',
  '  TCP    127.0.0.1:52311        127.0.0.1:8080         ESTABLISHED     777',
  '  TCP    [::]:8080              [::]:0                 LISTENING       4321',
  '  TCP    [::]:18080             [::]:0                 LISTENING       99',
].join('\r\n');
const TASKLIST = [
  '"System Idle Process","0","Services","0","8 K"',
  '"node.exe","4321","Console","1","45,120 K"',
  '"svchost.exe","1028","Services","0","9,876 K"',
].join('\r\n');

describe('host listener parsers', () => {
  it('reads the listening sockets of /proc/net/tcp and tcp6 with port, inode and uid, and skips connections', () => {
    expect(parseProcNetTcp(PROC_NET_TCP)).toEqual([{ port: 18431, inode: 2347032, uid: 0 }]);
    expect(parseProcNetTcp(PROC_NET_TCP6)).toEqual([{ port: 18432, inode: 2346939, uid: 0 }]);
    expect(parseProcNetTcp('')).toEqual([]);
  });

  it('reads a socket inode from a /proc/PID/fd link and nothing else', () => {
    expect(socketInode('socket:[2347032]')).toBe(2347032);
    expect(socketInode('/dev/null')).toBeNull();
    expect(socketInode('pipe:[2347032]')).toBeNull();
  });

  it('reads lsof: one entry per process, escaped names decoded', () => {
    expect(parseLsofListeners(LSOF)).toEqual([
      { pid: 27877, program: 'python3' },
      { pid: 1200, program: 'Google ' },
    ]);
    expect(parseLsofListeners('')).toEqual([]);
  });

  it('reads netstat: the pids listening on the port (IPv4 and IPv6), not connections or other ports', () => {
    expect(parseNetstatListeners(NETSTAT, 8080)).toEqual([4321]);
    expect(parseNetstatListeners(NETSTAT, 80)).toEqual([]);
    expect(parseTasklist(TASKLIST).get(4321)).toBe('node.exe');
    expect(parseTasklist(TASKLIST).get(99)).toBeUndefined();
  });
});
