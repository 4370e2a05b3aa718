/**
 * The VM's default runtime wrapper (crun-runtime.sh), run here with a stand-in for crun that records
 * its arguments: it points dockerd's own network hook at the image's script and touches nothing else.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const SCRIPT = path.join(import.meta.dirname, 'crun-runtime.sh');

// What containerd writes for a container on the default bridge (compact JSON, dockerd's hook first).
const DOCKERD_HOOK = '{"path":"/proc/812/exe","args":["libnetwork-setkey","-exec-root=/var/run/docker","4f2a","77c1d2e3a4b5"]}';
const OTHER_HOOK = '{"path":"/usr/bin/other-hook","args":["other-hook","/proc/9/exe"]}';
const spec = (hooks: string) => `{"ociVersion":"1.0.2","process":{"args":["true"]},"hooks":{"prestart":[${hooks}]}}`;

let dir: string;
let bundle: string;
let argsFile: string;
let fakeCrun: string;

function runtime(...args: string[]): string[] {
  execFileSync('sh', [SCRIPT, ...args], { env: { ...process.env, BERTH_CRUN: fakeCrun } });
  return fs.readFileSync(argsFile, 'utf8').split('\n').slice(0, -1);
}

const config = () => fs.readFileSync(path.join(bundle, 'config.json'), 'utf8');

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-crun-runtime-'));
  bundle = path.join(dir, 'bundle');
  fs.mkdirSync(bundle);
  argsFile = path.join(dir, 'args');
  fakeCrun = path.join(dir, 'crun');
  fs.writeFileSync(fakeCrun, `#!/bin/sh\nprintf '%s\\n' "$@" > '${argsFile}'\n`, { mode: 0o755 });
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('crun-runtime.sh', () => {
  it('points dockerd’s libnetwork-setkey hook at the image’s script on create, and hands crun the same arguments', () => {
    fs.writeFileSync(path.join(bundle, 'config.json'), spec(`${DOCKERD_HOOK},${OTHER_HOOK}`));
    const args = ['--root', '/var/run/docker/runtime-runc/moby', '--log-format', 'json', 'create', '--bundle', bundle, '4f2a'];
    expect(runtime(...args)).toEqual(args);
    expect(config()).toBe(
      spec(
        '{"path":"/usr/lib/berth/libnetwork-setkey","args":["libnetwork-setkey","-exec-root=/var/run/docker","4f2a","77c1d2e3a4b5"]},' +
          OTHER_HOOK,
      ),
    );
  });

  it('reads the bundle given as --bundle=DIR too', () => {
    fs.writeFileSync(path.join(bundle, 'config.json'), spec(DOCKERD_HOOK));
    runtime('create', `--bundle=${bundle}`, '4f2a');
    expect(config()).toContain('"path":"/usr/lib/berth/libnetwork-setkey"');
  });

  it('leaves a spec without dockerd’s hook as it was, and a command without a bundle alone', () => {
    fs.writeFileSync(path.join(bundle, 'config.json'), spec(OTHER_HOOK));
    runtime('create', '--bundle', bundle, '4f2a');
    expect(config()).toBe(spec(OTHER_HOOK));

    fs.writeFileSync(path.join(bundle, 'config.json'), spec(DOCKERD_HOOK));
    // `exec`, `kill`, `delete` name no bundle: the spec in this folder is not theirs to touch.
    expect(runtime('--root', '/r', 'exec', '--process', path.join(bundle, 'process.json'), '4f2a')).toEqual([
      '--root',
      '/r',
      'exec',
      '--process',
      path.join(bundle, 'process.json'),
      '4f2a',
    ]);
    expect(config()).toBe(spec(DOCKERD_HOOK));
  });

  it('passes crun’s exit status on', () => {
    fs.writeFileSync(fakeCrun, '#!/bin/sh\necho "no such container" >&2\nexit 3\n', { mode: 0o755 });
    let status = 0;
    try {
      execFileSync('sh', [SCRIPT, 'state', '4f2a'], { env: { ...process.env, BERTH_CRUN: fakeCrun }, stdio: 'pipe' });
    } catch (error) {
      status = (error as { status: number }).status;
    }
    expect(status).toBe(3);
  });
});
