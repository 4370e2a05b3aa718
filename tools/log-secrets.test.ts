import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTlsFiles } from '../vm/host/tls-material.js';
import {
  describeHits,
  findSecrets,
  keyFileSecrets,
  logFilesUnder,
  mask,
  scanFilesForSecrets,
  type KnownSecret,
} from './log-secrets.js';

const TOKEN = 'q8Zr3v_Xb1-Lk0PfWmN2sT9aYc4dHe6jUo7iRg5QxEw';
const PASSWORD = 'p@ss word/with+signs';
const secrets: KnownSecret[] = [
  { label: 'the browser-mode token', value: TOKEN },
  { label: 'a registry password', value: PASSWORD },
];

/** A log as Berth writes it: API lines, refusals, VM progress. */
const CLEAN_LOG = [
  'Berth (browser mode) on unix:///run/berth-test/docker.sock',
  '[api] 3f9a0c1d refused: the Berth token is wrong or from an earlier start (Berth makes a new one each time it starts).',
  '[api] 3f9a0c1d images.login {"registry":"127.0.0.1:5000","username":"alice","password":"…redacted…"} -> unauthorized: wrong user name or password (12.0 ms)',
  'VM: running (engine ready 9.1 s after boot)',
].join('\n');

describe('findSecrets', () => {
  it('finds nothing in a clean log, including redacted logins and refusals that mention the token', () => {
    expect(findSecrets('berth.log', CLEAN_LOG, secrets)).toEqual([]);
  });

  it('finds the token in a logged URL, on its line, masked', () => {
    const log = `${CLEAN_LOG}\nOpen: http://127.0.0.1:41234/#token=${TOKEN}\n`;
    expect(findSecrets('berth.log', log, secrets)).toEqual([
      { file: 'berth.log', line: 5, label: 'the browser-mode token', masked: mask(TOKEN) },
    ]);
    expect(mask(TOKEN)).not.toContain(TOKEN.slice(2, -2));
  });

  it('finds a password as it is and %-encoded (in a URL or a form body)', () => {
    expect(findSecrets('a.log', `login {"password":"${PASSWORD}"}`, secrets)).toHaveLength(1);
    expect(findSecrets('a.log', `GET /login?pw=${encodeURIComponent(PASSWORD)}`, secrets)).toHaveLength(1);
  });

  it('finds any PEM private key block, and the body of a known key printed without its armour', async () => {
    const tls = await makeTlsFiles(1);
    const keyPem = tls['key.pem'];
    const asBlock = findSecrets('vm.log', `oops: ${keyPem}`, []);
    expect(asBlock.map((hit) => hit.label)).toEqual(['a PEM private key']);
    const bodyLine = keyPem.split('\n')[1]!;
    const bare = findSecrets('vm.log', `key material: ${bodyLine}`, keyFileSecrets('the TLS client key', keyPem));
    expect(bare.map((hit) => hit.label)).toEqual(['the TLS client key']);
    // A certificate is public: it is not a finding.
    expect(findSecrets('vm.log', tls['cert.pem'], keyFileSecrets('the TLS client key', keyPem))).toEqual([]);
  });

  it('ignores values too short to mean anything', () => {
    expect(findSecrets('a.log', 'abc abc', [{ label: 'short', value: 'abc' }])).toEqual([]);
  });
});

describe('scanning files', () => {
  let dir: string;
  beforeEach(() => void (dir = mkdtempSync(join(tmpdir(), 'berth-log-scan-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('takes the .log and .txt files of a folder (not below it), reports each hit by file and line', () => {
    mkdirSync(join(dir, 'data'));
    writeFileSync(join(dir, 'berth.log'), CLEAN_LOG);
    writeFileSync(join(dir, 'dockerd.log'), `x\nauth for alice: ${PASSWORD}\n`);
    writeFileSync(join(dir, 'image.tar'), TOKEN); // not a log
    writeFileSync(join(dir, 'data', 'container-json.log'), TOKEN); // a container's output, in the engine's data root
    const files = logFilesUnder([dir, join(dir, 'missing.log')]);
    expect(files.sort()).toEqual([join(dir, 'berth.log'), join(dir, 'dockerd.log')]);
    const hits = scanFilesForSecrets(files, secrets);
    expect(describeHits(hits)).toBe(`${join(dir, 'dockerd.log')}:2: a registry password (${mask(PASSWORD)})`);
  });
});
