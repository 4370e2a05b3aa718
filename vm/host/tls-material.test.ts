import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { execFile, execFileSync } from 'node:child_process';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import fs from 'node:fs/promises';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { TLS_FILES, ensureTlsMaterial, isSoundTlsSet, makeTlsFiles, type TlsFileName } from './tls-material.js';

const root = await fs.mkdtemp(path.join(os.tmpdir(), 'berth-tls-material-test-'));
const install = path.join(root, 'install', 'tls');
const other = path.join(root, 'other', 'tls');
const read = (dir: string, name: TlsFileName) => readFileSync(path.join(dir, name));
const cert = (dir: string, name: TlsFileName) => new X509Certificate(read(dir, name));
/** The extension of type T as @peculiar/x509 reads it (Node's X509Certificate has no key usage or criticality). */
const extension = <T extends x509.Extension>(dir: string, name: TlsFileName, type: new (raw: BufferSource) => T) => {
  const found = new x509.X509Certificate(read(dir, name)).getExtension(type);
  if (!found) throw new Error(`${name} has no ${type.name}`);
  return found;
};
const has = (tool: string, ...args: string[]) => {
  try {
    execFileSync(tool, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
const hasOpenssl = has('openssl', 'version');
const hasDocker = has('docker', '--version');

beforeAll(async () => {
  expect(await ensureTlsMaterial(install)).toBe('written');
  expect(await ensureTlsMaterial(other)).toBe('written');
});

afterAll(() => fs.rm(root, { recursive: true, force: true }));

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the certificates', () => {
  it('chain to the installation’s CA, and only to it', () => {
    const ca = cert(install, 'ca.pem');
    expect(ca.ca).toBe(true);
    expect(ca.verify(ca.publicKey)).toBe(true);
    for (const name of ['server-cert.pem', 'cert.pem'] as const) {
      expect(cert(install, name).ca).toBe(false);
      expect(cert(install, name).checkIssued(ca)).toBe(true);
      expect(cert(install, name).verify(ca.publicKey)).toBe(true);
      expect(cert(install, name).verify(cert(other, 'ca.pem').publicKey)).toBe(false);
    }
  });

  it('name Berth, the engine and the client, and the engine by every address it is reached at', () => {
    expect(cert(install, 'ca.pem').subject).toBe('O=Berth\nCN=Berth engine CA');
    expect(cert(install, 'server-cert.pem').subject).toBe('O=Berth\nCN=berth-engine');
    expect(cert(install, 'cert.pem').subject).toBe('O=Berth\nCN=berth-client');
    expect(cert(install, 'server-cert.pem').subjectAltName).toBe('IP Address:127.0.0.1, IP Address:10.0.2.15, DNS:localhost');
    expect(cert(install, 'cert.pem').subjectAltName).toBeUndefined();
  });

  it('are each good for their one purpose', () => {
    const { KeyUsageFlags: flags } = x509;
    const usage = (name: TlsFileName) => extension(install, name, x509.KeyUsagesExtension);
    const constraints = (name: TlsFileName) => extension(install, name, x509.BasicConstraintsExtension);
    expect(usage('ca.pem')).toMatchObject({ critical: true, usages: flags.keyCertSign | flags.cRLSign });
    expect(usage('server-cert.pem')).toMatchObject({ critical: true, usages: flags.digitalSignature | flags.keyEncipherment });
    expect(usage('cert.pem')).toMatchObject({ critical: true, usages: flags.digitalSignature });
    expect(constraints('ca.pem')).toMatchObject({ critical: true, ca: true });
    expect(constraints('server-cert.pem')).toMatchObject({ critical: true, ca: false });
    expect(constraints('cert.pem')).toMatchObject({ critical: true, ca: false });
    expect(cert(install, 'server-cert.pem').keyUsage).toEqual([x509.ExtendedKeyUsage.serverAuth]);
    expect(cert(install, 'cert.pem').keyUsage).toEqual([x509.ExtendedKeyUsage.clientAuth]);
    // The leaves name their issuer's key as OpenSSL's did (SKID and AKID).
    const caKeyId = extension(install, 'ca.pem', x509.SubjectKeyIdentifierExtension).keyId;
    expect(extension(install, 'cert.pem', x509.AuthorityKeyIdentifierExtension).keyId).toBe(caKeyId);
  });

  it('last 3650 days from now', () => {
    for (const name of ['ca.pem', 'server-cert.pem', 'cert.pem'] as const) {
      const { validFrom, validTo } = cert(install, name);
      expect(Math.abs(Date.parse(validFrom) - Date.now())).toBeLessThan(60_000);
      expect((Date.parse(validTo) - Date.parse(validFrom)) / 86_400_000).toBe(3650);
    }
  });

  it('come with EC P-256 keys in PKCS#8 PEM that match them', () => {
    for (const [certName, keyName] of [
      ['ca.pem', 'ca-key.pem'],
      ['server-cert.pem', 'server-key.pem'],
      ['cert.pem', 'key.pem'],
    ] as const) {
      expect(read(install, keyName).toString()).toMatch(/^-----BEGIN PRIVATE KEY-----\n[\s\S]+-----END PRIVATE KEY-----\n$/);
      const key = createPrivateKey(read(install, keyName));
      expect(key.asymmetricKeyDetails).toEqual({ namedCurve: 'prime256v1' });
      expect(cert(install, certName).checkPrivateKey(key)).toBe(true);
    }
  });

  it.skipIf(!hasOpenssl)('pass openssl verify with strict checks and purposes (a second opinion, when openssl is here)', () => {
    const verify = (purpose: string, name: TlsFileName) =>
      execFileSync('openssl', [
        'verify',
        '-x509_strict',
        '-purpose',
        purpose,
        '-CAfile',
        path.join(install, 'ca.pem'),
        path.join(install, name),
      ]);
    expect(verify('sslserver', 'server-cert.pem').toString()).toMatch(/: OK/);
    expect(verify('sslclient', 'cert.pem').toString()).toMatch(/: OK/);
  });

  it.skipIf(process.platform === 'win32')('are private: files 0600 in a 0700 folder', () => {
    expect(statSync(install).mode & 0o777).toBe(0o700);
    for (const name of TLS_FILES) expect(statSync(path.join(install, name)).mode & 0o777).toBe(0o600);
    expect(readdirNames(install)).toEqual([...TLS_FILES].sort());
  });
});

describe('mutual TLS with the material', () => {
  let server: tls.Server;
  let port = 0;
  /** Connections the server let through (it requires a client certificate issued by ca.pem, as dockerd does). */
  let accepted = 0;

  beforeAll(async () => {
    server = tls.createServer(
      {
        ca: read(install, 'ca.pem'),
        cert: read(install, 'server-cert.pem'),
        key: read(install, 'server-key.pem'),
        requestCert: true,
        rejectUnauthorized: true,
      },
      (socket) => {
        accepted++;
        socket.end('engine says hi');
      },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as net.AddressInfo).port;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  /**
   * Connects the way Berth does (the server checked against a CA and its IP SAN) and reports what came
   * back. A refused client sees an alert or just the end: under TLS 1.3 its side of the handshake is
   * over before the server has read its certificate.
   */
  function talk(material: string, client: { cert?: Buffer; key?: Buffer }): Promise<{ answer: string; error: string | null }> {
    return new Promise((resolve) => {
      const socket = tls.connect({ host: '127.0.0.1', port, ca: read(material, 'ca.pem'), ...client });
      let answer = '';
      let error: string | null = null;
      socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
      socket.on('error', (e: NodeJS.ErrnoException) => (error = e.code ?? e.message));
      socket.on('close', () => resolve({ answer, error }));
    });
  }

  it('lets the installation’s client in', async () => {
    const before = accepted;
    const client = { cert: read(install, 'cert.pem'), key: read(install, 'key.pem') };
    expect(await talk(install, client)).toEqual({ answer: 'engine says hi', error: null });
    expect(accepted).toBe(before + 1);
  });

  it('refuses a client without a certificate', async () => {
    const before = accepted;
    expect((await talk(install, {})).answer).toBe('');
    expect(accepted).toBe(before);
  });

  it('refuses a client with another installation’s certificate', async () => {
    const before = accepted;
    expect((await talk(install, { cert: read(other, 'cert.pem'), key: read(other, 'key.pem') })).answer).toBe('');
    expect(accepted).toBe(before);
  });

  it('is refused by a client that trusts another installation’s CA', async () => {
    const before = accepted;
    const { answer, error } = await talk(other, { cert: read(other, 'cert.pem'), key: read(other, 'key.pem') });
    expect(answer).toBe('');
    // OpenSSL finds the other CA by its (same) name, then the signature fails; the code it gives varies.
    expect(error).toMatch(/SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|CERT_SIGNATURE_FAILURE/);
    expect(accepted).toBe(before);
  });
});

describe.skipIf(!hasDocker)('a Go client with the material (the docker CLI, when it is here)', () => {
  it('trusts the engine at 127.0.0.1 and presents the client certificate, read from PKCS#8', async () => {
    const clients: string[] = [];
    const server = https.createServer(
      {
        ca: read(install, 'ca.pem'),
        cert: read(install, 'server-cert.pem'),
        key: read(install, 'server-key.pem'),
        requestCert: true,
      },
      (request, response) => {
        clients.push(String((request.socket as tls.TLSSocket).getPeerCertificate().subject.CN));
        response.setHeader('Api-Version', '1.41');
        if (request.url?.endsWith('/_ping')) return response.end('OK');
        response.setHeader('Content-Type', 'application/json');
        response.end(
          JSON.stringify({ Version: 'stand-in', ApiVersion: '1.41', MinAPIVersion: '1.12', Os: 'linux', Arch: 'amd64' }),
        );
      },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as net.AddressInfo;
      const file = (name: TlsFileName) => path.join(install, name);
      const { stdout } = await promisify(execFile)('docker', [
        ...['--tlsverify', `--tlscacert=${file('ca.pem')}`, `--tlscert=${file('cert.pem')}`, `--tlskey=${file('key.pem')}`],
        ...['-H', `tcp://127.0.0.1:${port}`, 'version', '--format', '{{.Server.Version}}'],
      ]);
      expect(stdout.trim()).toBe('stand-in');
      expect(clients).toContain('berth-client');
    } finally {
      server.close();
    }
  });
});

describe('ensureTlsMaterial', () => {
  const dir = path.join(root, 'keep', 'tls');
  const caText = () => read(dir, 'ca.pem').toString();

  it('keeps a sound set and replaces it only when forced', async () => {
    await ensureTlsMaterial(dir);
    const first = caText();
    expect(await ensureTlsMaterial(dir)).toBe('kept');
    expect(caText()).toBe(first);
    expect(await ensureTlsMaterial(dir, { force: true })).toBe('written');
    expect(caText()).not.toBe(first);
    expect(await isSoundTlsSet(dir)).toBe(true);
  });

  it('replaces a set that is missing a file, mixes two installations, or has expired', async () => {
    await ensureTlsMaterial(dir);
    await fs.rm(path.join(dir, 'key.pem'));
    expect(await ensureTlsMaterial(dir)).toBe('written');

    await fs.copyFile(path.join(other, 'server-cert.pem'), path.join(dir, 'server-cert.pem'));
    expect(await isSoundTlsSet(dir)).toBe(false);
    expect(await ensureTlsMaterial(dir)).toBe('written');

    const inTenYears = new Date(Date.now() + 3651 * 86_400_000);
    expect(await isSoundTlsSet(dir, inTenYears)).toBe(false);
    expect(await isSoundTlsSet(dir)).toBe(true);
  });

  it('never leaves a mixed set: a failure while moving files in leaves one the next start replaces', async () => {
    await ensureTlsMaterial(dir);
    const rename = fs.rename.bind(fs);
    let renames = 0;
    vi.spyOn(fs, 'rename').mockImplementation(async (from, to) => {
      if (++renames === 3) throw new Error('injected: disk full');
      return rename(from, to);
    });
    await expect(ensureTlsMaterial(dir, { force: true })).rejects.toThrow('injected');
    vi.restoreAllMocks();
    expect(readdirNames(dir)).toEqual(['ca-key.pem', 'ca.pem']); // the temporary folder is gone too
    expect(await isSoundTlsSet(dir)).toBe(false);
    expect(await ensureTlsMaterial(dir)).toBe('written');
    expect(await isSoundTlsSet(dir)).toBe(true);
  });

  it('keeps the old set whole when making the new one fails before the swap', async () => {
    await ensureTlsMaterial(dir);
    const before = caText();
    const open = fs.open.bind(fs);
    let opened = 0;
    vi.spyOn(fs, 'open').mockImplementation(async (...args: Parameters<typeof fs.open>) => {
      if (++opened === 4) throw new Error('injected: disk full');
      return open(...args);
    });
    await expect(ensureTlsMaterial(dir, { force: true })).rejects.toThrow('injected');
    vi.restoreAllMocks();
    expect(caText()).toBe(before);
    expect(await isSoundTlsSet(dir)).toBe(true);
    expect(readdirNames(dir)).toEqual([...TLS_FILES].sort());
  });

  it('clears a temporary folder a crash left behind', async () => {
    await fs.mkdir(path.join(dir, '.tls-material-crashed'));
    await fs.writeFile(path.join(dir, '.tls-material-crashed', 'ca.pem'), 'half');
    await ensureTlsMaterial(dir, { force: true });
    expect(readdirNames(dir)).toEqual([...TLS_FILES].sort());
  });
});

describe('makeTlsFiles', () => {
  it('makes a new installation each time (keys and serial numbers)', async () => {
    const [a, b] = await Promise.all([makeTlsFiles(1), makeTlsFiles(1)]);
    expect(a['ca-key.pem']).not.toBe(b['ca-key.pem']);
    expect(new X509Certificate(a['cert.pem']).serialNumber).not.toBe(new X509Certificate(b['cert.pem']).serialNumber);
  });
});

function readdirNames(dir: string): string[] {
  return readdirSync(dir).sort();
}
