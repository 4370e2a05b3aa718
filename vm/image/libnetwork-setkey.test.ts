/**
 * The image's libnetwork-setkey hook (libnetwork-setkey.sh) against a stand-in for dockerd's key socket:
 * the message it sends, and what it does with dockerd's answer. netcat-openbsd is in the image, not on
 * this computer: a small Node client takes its place here (the VM test runs the real one).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const SCRIPT = path.join(import.meta.dirname, 'libnetwork-setkey.sh');
const CONTROLLER = '77c1d2e3a4b5';
const CONTAINER = '4f2a9c';
const STATE = '{"ociVersion":"1.0.2","id":"4f2a9c","status":"created","pid": 4711,"bundle":"/run/b","annotations":{}}';

// `nc -N -U SOCKET`: stdin to the socket, the socket's answer to stdout.
const FAKE_NC = `import net from 'node:net';
const socket = net.connect(process.argv[process.argv.length - 1]);
socket.on('error', (error) => { console.error(error.message); process.exit(1); });
process.stdin.pipe(socket);
socket.pipe(process.stdout);
`;

let dir: string;
let execRoot: string;
let fakeNc: string;
let server: net.Server | undefined;
const received: string[] = [];

/** dockerd's key socket: records each message and answers `reply`. */
async function listen(reply: string): Promise<void> {
  fs.mkdirSync(path.join(execRoot, 'libnetwork'), { recursive: true });
  server = net.createServer((socket) => {
    socket.once('data', (data) => {
      received.push(data.toString());
      socket.end(reply);
    });
  });
  await new Promise<void>((resolve) => server!.listen(path.join(execRoot, 'libnetwork', `${CONTROLLER}.sock`), resolve));
}

function hook(args: string[], stdin = STATE): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile('sh', [SCRIPT, ...args], { env: { ...process.env, BERTH_NC: fakeNc } }, (error, _stdout, stderr) =>
      resolve({ code: error ? Number(error.code) : 0, stderr: stderr.trim() }),
    );
    // A hook that fails before it reads its state (arguments it does not know) may close stdin first: EPIPE.
    child.stdin!.on('error', () => undefined);
    child.stdin!.end(stdin);
  });
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-setkey-'));
  execRoot = path.join(dir, 'exec');
  fs.writeFileSync(path.join(dir, 'nc.mjs'), FAKE_NC);
  fakeNc = path.join(dir, 'nc');
  fs.writeFileSync(fakeNc, `#!/bin/sh\nexec '${process.execPath}' '${path.join(dir, 'nc.mjs')}' "$@"\n`, { mode: 0o755 });
  received.length = 0;
});

afterEach(async () => {
  if (server) await new Promise((resolve) => server!.close(resolve));
  server = undefined;
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('libnetwork-setkey.sh', () => {
  it('tells dockerd the container’s network namespace, as dockerd’s own hook does, and succeeds on "success"', async () => {
    await listen('success');
    const result = await hook([`-exec-root=${execRoot}`, CONTAINER, CONTROLLER]);
    expect(result).toEqual({ code: 0, stderr: '' });
    expect(received).toEqual([`{"ContainerID":"${CONTAINER}","Key":"/proc/4711/ns/net"}`]);
  });

  it('fails with dockerd’s answer when it is not "success"', async () => {
    await listen('no sandbox present for 4f2a9c');
    const result = await hook([`-exec-root=${execRoot}`, CONTAINER, CONTROLLER]);
    expect(result).toEqual({ code: 1, stderr: 'libnetwork-setkey: dockerd answered: no sandbox present for 4f2a9c' });
  });

  it('fails, saying why, without a socket, without a pid in the state, or with arguments it does not know', async () => {
    expect(await hook([`-exec-root=${execRoot}`, CONTAINER, CONTROLLER])).toEqual({
      code: 1,
      stderr: `libnetwork-setkey: no dockerd socket at ${execRoot}/libnetwork/${CONTROLLER}.sock`,
    });
    await listen('success');
    expect(await hook([`-exec-root=${execRoot}`, CONTAINER, CONTROLLER], '{"id":"4f2a9c","status":"created"}')).toEqual({
      code: 1,
      stderr: 'libnetwork-setkey: no pid in the container state on stdin: {"id":"4f2a9c","status":"created"}',
    });
    expect(await hook([CONTAINER, CONTROLLER])).toEqual({
      code: 1,
      stderr: `libnetwork-setkey: expected -exec-root=DIR, got '${CONTAINER}'`,
    });
    expect(await hook([`-exec-root=${execRoot}`, CONTAINER])).toEqual({
      code: 1,
      stderr: 'libnetwork-setkey: expected CONTAINER_ID and CONTROLLER_ID after -exec-root',
    });
    expect(received).toEqual([]);
  });
});
