/**
 * An ssh engine end to end: a real OpenSSH server on loopback (its own host key, a key this test made)
 * in front of the test's private dockerd; the system ssh client runs `docker system dial-stdio` there.
 * Everything a view does goes through it: list, events, logs, an interactive exec, and the errors a
 * person sees when the key is refused, the host is unknown or nothing answers.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { ContainerService } from '../containers/index.js';
import { EngineConnection, parseEngineAddress, type EngineEvent } from '../core/index.js';
import { ShellExecService } from '../terminals/shell-exec.js';
import { freePort } from '../testing/free-port.js';
import { removeContainers } from '../testing/engine-fixture.js';
import { startLoopbackSshd, type LoopbackSshd } from '../testing/loopback-sshd.js';
import { uniqueName } from '../testing/names.js';
import { BUSYBOX_IMAGE, dockerCli } from '../testing/test-images.js';
import { waitFor } from '../testing/wait-for.js';

const dockerHost = inject('dockerHost');

async function connectThroughSsh(address: string, configFile: string): Promise<EngineConnection> {
  const connection = new EngineConnection(parseEngineAddress(address), { ssh: { configFile, connectTimeoutSeconds: 5 } });
  connection.start();
  await waitFor('the ssh engine to connect', () => {
    if (connection.state.kind === 'unreachable') throw new Error(connection.state.reason);
    return connection.state.kind === 'connected';
  });
  return connection;
}

/** The reason the connection gives after its first failed attempt. */
async function firstFailure(address: string, configFile: string): Promise<string> {
  const connection = new EngineConnection(parseEngineAddress(address), { ssh: { configFile, connectTimeoutSeconds: 5 } });
  try {
    connection.start();
    const state = await waitFor('the first attempt to fail', () =>
      connection.state.kind === 'unreachable' ? connection.state : connection.state.kind === 'connected' && 'connected',
    );
    if (state === 'connected') throw new Error('expected the connection to fail');
    return state.reason;
  } finally {
    connection.dispose();
  }
}

describe('ssh engine (real sshd on loopback, real dockerd behind it)', () => {
  let sshd: LoopbackSshd;
  let connection: EngineConnection;
  const created: string[] = [];

  beforeAll(async () => {
    sshd = await startLoopbackSshd(dockerHost);
    connection = await connectThroughSsh(sshd.address, sshd.clientConfig);
  });
  afterEach(async () => {
    await removeContainers(dockerHost, created.splice(0));
  });
  afterAll(async () => {
    connection?.dispose();
    await sshd?.stop();
  });

  it('connects and names the engine behind ssh', () => {
    expect(connection.state).toMatchObject({ kind: 'connected', endpoint: sshd.address });
    if (connection.state.kind === 'connected') expect(connection.state.info.apiVersion).toMatch(/^1\.\d+$/);
  });

  it('lists containers, follows events and reads logs through ssh', async () => {
    const events: EngineEvent[] = [];
    const subscription = connection.onEvent((event) => events.push(event));
    const name = uniqueName('ssh');
    created.push(name);
    const token = randomBytes(6).toString('hex');
    await dockerCli(dockerHost, ['run', '-d', '--name', name, BUSYBOX_IMAGE, 'sh', '-c', `echo hello-${token}; sleep 3600`]);
    try {
      await waitFor('the start event through ssh', () => events.find((event) => event.name === name && event.action === 'start'));
      const service = new ContainerService(connection);
      const listed = await service.list();
      expect(listed.find((container) => container.name === name)).toMatchObject({ state: 'running' });
      await waitFor('the log line', async () => {
        let text = '';
        for await (const chunk of service.logs.text(name, { since: null, timestamps: false }, new AbortController().signal)) {
          text += chunk;
        }
        return text.includes(`hello-${token}`);
      });
    } finally {
      subscription.dispose();
    }
  });

  it('runs an interactive exec (hijacked stream) through ssh', async () => {
    const name = uniqueName('ssh-exec');
    created.push(name);
    await dockerCli(dockerHost, ['run', '-d', '--name', name, BUSYBOX_IMAGE, 'sleep', '3600']);
    const terminals = new ShellExecService(connection);
    try {
      const session = await terminals.open(name, { cols: 80, rows: 24 });
      let text = '';
      const decoder = new TextDecoder();
      void (async () => {
        for await (const chunk of session.output) text += decoder.decode(chunk, { stream: true });
      })();
      const token = randomBytes(6).toString('hex');
      session.write(`echo "via-""${token}"\r`);
      await waitFor(`via-${token} in the terminal`, () => text.includes(`via-${token}`));
    } finally {
      await terminals.closeAll();
    }
  });

  it('uploads a file into a container and lists it back through ssh (the archive endpoint)', async () => {
    const name = uniqueName('ssh-files');
    created.push(name);
    await dockerCli(dockerHost, ['run', '-d', '--name', name, BUSYBOX_IMAGE, 'sleep', '3600']);
    const service = new ContainerService(connection);
    const content = Buffer.from(`over ssh ${randomBytes(4).toString('hex')}\n`);
    await service.files.upload(name, '/tmp', 'via-ssh.txt', content);
    const listing = await service.files.list(name, '/tmp');
    expect(listing.entries.find((entry) => entry.name === 'via-ssh.txt')).toMatchObject({ size: content.length });
    expect(await dockerCli(dockerHost, ['exec', name, 'cat', '/tmp/via-ssh.txt'])).toBe(content.toString().trim());
  });

  it('keeps ssh connections alive between requests: a request on a warm connection skips the ssh handshake', async () => {
    await connection.docker.ping(); // warm
    const warmStart = performance.now();
    for (let index = 0; index < 5; index += 1) await connection.docker.ping();
    const warmMs = (performance.now() - warmStart) / 5;
    const cold = new EngineConnection(parseEngineAddress(sshd.address), { ssh: { configFile: sshd.clientConfig } });
    const coldStart = performance.now();
    await cold.docker.ping();
    const coldMs = performance.now() - coldStart;
    cold.dispose();
    console.log(`ssh engine: _ping ${warmMs.toFixed(1)} ms on a kept connection, ${coldMs.toFixed(0)} ms with a new ssh`);
    expect(warmMs).toBeLessThan(coldMs);
  });

  it('says "Permission denied (publickey)" when the server refuses the key', async () => {
    expect(await firstFailure(sshd.address, sshd.refusedKeyConfig)).toBe(
      `Cannot reach ${sshd.address}: Permission denied (publickey).`,
    );
  });

  it('says "Host key verification failed" for a server it does not know', async () => {
    expect(await firstFailure(sshd.address, sshd.unknownHostConfig)).toBe(
      `Cannot reach ${sshd.address}: Host key verification failed.`,
    );
  });

  it('says "Connection refused" on a port where nothing answers', async () => {
    const address = `ssh://${sshd.user}@127.0.0.1:${await freePort()}`;
    expect(await firstFailure(address, sshd.clientConfig)).toBe(`Cannot reach ${address}: Connection refused.`);
  });
});
