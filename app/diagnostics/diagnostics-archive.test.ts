import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EngineConnection } from '../../engine/core/index.js';
import { MemoryCredentialStore } from '../../engine/images/credential-store.js';
import { describeHits, findSecrets, keyFileSecrets, type KnownSecret } from '../../tools/log-secrets.js';
import { createAppDiagnostics } from './app-diagnostics.js';
import { redact, REDACTED } from './redaction.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-diagnose-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function pemKey(): string {
  return generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

function extract(archive: string): Record<string, string> {
  const out = path.join(dir, 'extracted');
  fs.mkdirSync(out);
  execFileSync('tar', ['-xzf', archive, '-C', out]);
  const files: Record<string, string> = {};
  const walk = (folder: string) => {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) walk(full);
      else files[path.relative(out, full)] = fs.readFileSync(full, 'utf8');
    }
  };
  walk(out);
  return files;
}

describe('redact', () => {
  it('removes known values (also %-encoded), PEM private keys and fields named like secrets', () => {
    const key = pemKey();
    const text = `token=abc12345678 url=/#token=Zz9%2Fsecret-value "password": "p@ss w0rd!" ${key}\nend a/secret-value`;
    const out = redact(text, [{ label: 'token', value: 'Zz9/secret-value' }]);
    expect(out).not.toContain('abc12345678');
    expect(out).not.toContain('p@ss w0rd!');
    expect(out).not.toContain('Zz9%2Fsecret-value');
    expect(out).not.toContain('PRIVATE KEY-----\n');
    expect(out).toContain(`"password": "${REDACTED}"`);
    expect(out).toContain('end a/secret-value'); // shorter than the secret: not a match, kept
  });
});

describe('the diagnostics archive', () => {
  it('holds logs, engine facts, settings, versions and failures, and none of the secrets Berth knows', async () => {
    // Real secrets, where Berth keeps them: TLS keys in the state folder, a registry login, the page token.
    const vmDir = path.join(dir, 'vm');
    fs.mkdirSync(path.join(vmDir, 'tls'), { recursive: true });
    const tlsKey = pemKey();
    const caKey = pemKey();
    fs.writeFileSync(path.join(vmDir, 'tls', 'key.pem'), tlsKey);
    fs.writeFileSync(path.join(vmDir, 'tls', 'ca-key.pem'), caKey);
    const credentials = new MemoryCredentialStore();
    const password = `reg-${randomBytes(12).toString('base64url')}`;
    await credentials.set('registry.example:5000', { username: 'ci', password });
    const token = randomBytes(32).toString('base64url');
    const secrets: KnownSecret[] = [
      { label: 'the browser-mode token', value: token },
      { label: 'the registry password', value: password },
      ...keyFileSecrets('the TLS key', tlsKey),
      ...keyFileSecrets('the CA key', caKey),
    ];

    // ...and each of them where it could leak from: the app's log, the VM console, the engine's answers.
    fs.writeFileSync(path.join(vmDir, 'console.log'), `BERTH-STEP engine\nguest saw ${password}\n${tlsKey}`);
    fs.writeFileSync(path.join(vmDir, 'console-crash.log'), 'kernel panic\n');
    const listeners: Array<(event: unknown) => void> = [];
    const connection = {
      onEvent: (listener: (event: unknown) => void) => (listeners.push(listener), { dispose: () => undefined }),
      docker: {
        info: async () => ({ ServerVersion: '26.1.5', Name: 'berth', Labels: [`token=${token}`] }),
        version: async () => ({ Version: '26.1.5', ApiVersion: '1.45' }),
      },
    } as unknown as EngineConnection;
    const diagnostics = createAppDiagnostics({
      stateDir: dir,
      vmStateDir: vmDir,
      projectRoot: process.cwd(),
      connection,
      credentials,
      settings: () => ({ file: path.join(dir, 'settings.json'), entries: [{ key: 'vm.cpus', value: 2 }] }),
      machineStatus: () => ({ vm: { state: { kind: 'error', failure: { message: 'QEMU exited (status 1)' } } } }),
    });
    try {
      diagnostics.addSecret({ label: 'the browser-mode token', value: token });
      // What the launcher and the api-logger write (vitest replaces console.*, so straight to the streams).
      process.stdout.write(`Open: http://127.0.0.1:4567/#token=${token}\n`);
      process.stderr.write(`[api] 3b241101 images.login {"registry":"r","password":"${password}"} -> unauthorized: denied (2.0 ms)\n`);
      process.stdout.write(`${caKey}\n`);
      listeners.forEach((listener) => listener({ Type: 'container', Action: 'start', Actor: { Attributes: { secret: token } } }));

      const archive = await diagnostics.diagnose();
      expect(archive.path.startsWith(path.join(dir, 'diagnostics', 'berth-diagnostics-'))).toBe(true);
      expect(archive.path.endsWith('.tar.gz')).toBe(true);
      expect(archive.bytes).toBe(fs.statSync(archive.path).size);
      expect(fs.statSync(archive.path).mode & 0o777).toBe(0o600);

      const files = extract(archive.path);
      const names = Object.keys(files).map((name) => name.split('/').slice(1).join('/'));
      expect(names.sort()).toEqual(
        [
          'app.log',
          'engine-events.json',
          'engine-info.json',
          'engine-version.json',
          'failures.json',
          'settings.json',
          'versions.json',
          'vm-console-crash.log',
          'vm-console.log',
        ].sort(),
      );
      const byName = (name: string) => Object.entries(files).find(([file]) => file.endsWith(`/${name}`))?.[1] ?? '';
      expect(byName('app.log')).toContain('Open: http://127.0.0.1:4567/#token=');
      expect(byName('vm-console.log')).toContain('BERTH-STEP engine');
      expect(byName('engine-info.json')).toContain('"ServerVersion": "26.1.5"');
      expect(byName('engine-events.json')).toContain('"Action": "start"');
      expect(byName('settings.json')).toContain('"vm.cpus"');
      expect(JSON.parse(byName('versions.json'))).toMatchObject({ node: process.version, docker: '26.1.5', berth: '0.1.0' });
      const failures = JSON.parse(byName('failures.json')) as { failedApiCalls: string[] };
      expect(failures.failedApiCalls).toHaveLength(1);
      expect(failures.failedApiCalls[0]).toContain('images.login');
      expect(byName('failures.json')).toContain('QEMU exited (status 1)');

      const hits = Object.entries(files).flatMap(([file, text]) => findSecrets(file, text, secrets));
      expect(describeHits(hits)).toBe('');
    } finally {
      diagnostics.dispose();
    }
  });
});
