/**
 * This installation's mutual-TLS material for the VM's dockerd, made in Node so that a start needs
 * nothing but Node and QEMU (no bash, no openssl CLI: Windows has neither, macOS ships LibreSSL).
 *   ca.pem ca-key.pem                  the installation's private CA (its key never enters the VM)
 *   server-cert.pem server-key.pem     dockerd's (SAN IP:127.0.0.1, IP:10.0.2.15, DNS:localhost)
 *   cert.pem key.pem                   the client's (Docker's DOCKER_CERT_PATH names, with ca.pem)
 * EC P-256 keys in PKCS#8 PEM ("BEGIN PRIVATE KEY", which Go's crypto/tls and Node's tls both read),
 * ECDSA-SHA256 signatures, the extensions OpenSSL 3 wrote for the same request (key identifiers too).
 */
import type * as X509 from '@peculiar/x509';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

export const TLS_FILES = ['ca.pem', 'ca-key.pem', 'server-cert.pem', 'server-key.pem', 'cert.pem', 'key.pem'] as const;
export type TlsFileName = (typeof TLS_FILES)[number];
export type TlsFiles = Record<TlsFileName, string>;

export const TLS_VALIDITY_DAYS = 3650;
/** Where dockerd is reached: the host's forward on 127.0.0.1, and the guest's own address under QEMU's user net. */
export const ENGINE_SERVER_NAMES: readonly X509.JsonGeneralName[] = [
  { type: 'ip', value: '127.0.0.1' },
  { type: 'ip', value: '10.0.2.15' },
  { type: 'dns', value: 'localhost' },
];

/** A certificate and its key, in the files that hold them. */
const PAIRS = [
  ['ca.pem', 'ca-key.pem'],
  ['server-cert.pem', 'server-key.pem'],
  ['cert.pem', 'key.pem'],
] as const;
const TEMP_PREFIX = '.tls-material-';
const DAY_MS = 86_400_000;
const EC_P256 = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

/**
 * @peculiar/x509 is loaded only to make a set: its ASN.1 schemas take a few hundred ms to load, which
 * every app launch would pay, while a start that keeps its set needs only node:crypto.
 */
async function loadX509(): Promise<typeof X509> {
  // tsyringe, which @peculiar/x509 uses inside, throws at load without the Reflect metadata API.
  await import('reflect-metadata');
  return import('@peculiar/x509');
}

export interface TlsMaterialOptions {
  /** Make a new set even if a sound one is there (a new CA: the VM and the docker context follow at the next start). */
  force?: boolean;
  /** Validity of every certificate from now; 3650 days unless a test wants less. */
  days?: number;
}

/**
 * Makes the set in `dir` unless a sound one is there (or `force`). A start calls this every time, so
 * keeping is the common case and costs only reading six small files. Returns what it did.
 */
export async function ensureTlsMaterial(dir: string, options: TlsMaterialOptions = {}): Promise<'kept' | 'written'> {
  if (!options.force && (await isSoundTlsSet(dir))) return 'kept';
  await writeTlsSet(dir, await makeTlsFiles(options.days ?? TLS_VALIDITY_DAYS));
  return 'written';
}

/** The six PEM texts of a new installation: a CA and the server and client certificates it issues. */
export async function makeTlsFiles(days: number, now = new Date()): Promise<TlsFiles> {
  const x509 = await loadX509();
  const { crypto } = globalThis; // Node's WebCrypto (node:crypto's webcrypto), typed as the DOM's
  // O=Berth, CN=…, in UTF8String as OpenSSL writes them (and RFC 5280 asks for), not PrintableString.
  const berthName = (commonName: string) =>
    new x509.Name([{ O: [{ utf8String: 'Berth' }] }, { CN: [{ utf8String: commonName }] }]);
  const notBefore = now;
  const notAfter = new Date(now.getTime() + days * DAY_MS);
  const newKeys = () => crypto.subtle.generateKey(EC_P256, true, ['sign', 'verify']);
  const pemKey = async (key: CryptoKey) => x509.PemConverter.encode(await crypto.subtle.exportKey('pkcs8', key), 'PRIVATE KEY');

  const caKeys = await newKeys();
  const caName = berthName('Berth engine CA');
  const ca = await x509.X509CertificateGenerator.create(
    {
      subject: caName,
      issuer: caName,
      notBefore,
      notAfter,
      publicKey: caKeys.publicKey,
      signingKey: caKeys.privateKey,
      signingAlgorithm: EC_P256,
      extensions: [
        await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey, false, crypto),
        await x509.AuthorityKeyIdentifierExtension.create(caKeys.publicKey, false, crypto),
        new x509.BasicConstraintsExtension(true, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      ],
    },
    crypto,
  );

  const issue = async (commonName: string, usage: X509.KeyUsageFlags, extensions: X509.Extension[]) => {
    const keys = await newKeys();
    const cert = await x509.X509CertificateGenerator.create(
      {
        subject: berthName(commonName),
        issuer: ca.subjectName, // the CA's subject bytes as they are: Go matches issuers byte for byte
        notBefore,
        notAfter,
        publicKey: keys.publicKey,
        signingKey: caKeys.privateKey,
        signingAlgorithm: EC_P256,
        extensions: [
          new x509.BasicConstraintsExtension(false, undefined, true),
          new x509.KeyUsagesExtension(usage, true),
          ...extensions,
          await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, crypto),
          await x509.AuthorityKeyIdentifierExtension.create(caKeys.publicKey, false, crypto),
        ],
      },
      crypto,
    );
    return { cert: cert.toString('pem'), key: await pemKey(keys.privateKey) };
  };
  const server = await issue('berth-engine', x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, [
    new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
    new x509.SubjectAlternativeNameExtension([...ENGINE_SERVER_NAMES]),
  ]);
  const client = await issue('berth-client', x509.KeyUsageFlags.digitalSignature, [
    new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth]),
  ]);
  // Files end with a newline, as OpenSSL's do.
  const files: TlsFiles = {
    'ca.pem': ca.toString('pem'),
    'ca-key.pem': await pemKey(caKeys.privateKey),
    'server-cert.pem': server.cert,
    'server-key.pem': server.key,
    'cert.pem': client.cert,
    'key.pem': client.key,
  };
  return Object.fromEntries(Object.entries(files).map(([name, text]) => [name, `${text.trimEnd()}\n`])) as TlsFiles;
}

/**
 * Whether `dir` holds a set a start can use: all six files, each certificate issued by ca.pem, valid
 * now, and matching its key. More than "six non-empty files" so that whatever a crash or a hand left
 * behind (a set half replaced, a truncated file) is made anew rather than handed to dockerd.
 */
export async function isSoundTlsSet(dir: string, now = new Date()): Promise<boolean> {
  try {
    const read = (name: TlsFileName) => fs.readFile(path.join(dir, name));
    const ca = new X509Certificate(await read('ca.pem'));
    for (const [certName, keyName] of PAIRS) {
      const cert = new X509Certificate(await read(certName));
      const key = createPrivateKey(await read(keyName));
      const valid = new Date(cert.validFrom) <= now && now < new Date(cert.validTo);
      if (!valid || !cert.checkPrivateKey(key) || !cert.checkIssued(ca) || !cert.verify(ca.publicKey)) return false;
    }
    return true;
  } catch {
    return false; // a file missing or unreadable as PEM
  }
}

/**
 * Writes the set into `dir` (0700, files 0600; modes are POSIX-only, Windows keeps its ACLs). Every
 * file is written and synced in a temporary folder inside `dir` first; only then are the old files
 * removed and the new ones renamed in. A crash or a failure at any point leaves either the old set or
 * an incomplete one, never a mix a later start would take for a set (isSoundTlsSet): the next start
 * makes a new one.
 */
async function writeTlsSet(dir: string, files: TlsFiles): Promise<void> {
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  await fs.chmod(dir, 0o700); // mkdir's mode does not apply to a folder that was already there
  await removeStaleTempDirs(dir);
  const temp = await fs.mkdtemp(path.join(dir, TEMP_PREFIX));
  try {
    for (const name of TLS_FILES) {
      const file = await fs.open(path.join(temp, name), 'wx', 0o600);
      try {
        await file.writeFile(files[name]);
        await file.sync();
      } finally {
        await file.close();
      }
    }
    await Promise.all(TLS_FILES.map((name) => fs.rm(path.join(dir, name), { force: true })));
    for (const name of TLS_FILES) await fs.rename(path.join(temp, name), path.join(dir, name));
  } finally {
    await fs.rm(temp, { recursive: true, force: true });
  }
}

/** Temporary folders of a write that a crash interrupted (one Berth per state folder: vm.lock, so none is live). */
async function removeStaleTempDirs(dir: string): Promise<void> {
  const stale = (await fs.readdir(dir)).filter((name) => name.startsWith(TEMP_PREFIX));
  await Promise.all(stale.map((name) => fs.rm(path.join(dir, name), { recursive: true, force: true })));
}
