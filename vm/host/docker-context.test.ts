import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { contextCommands, ensureDockerContext } from './docker-context.js';

const config = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-docker-config-'));
const env = { ...process.env, DOCKER_CONFIG: config };
const hasCli = (() => {
  try {
    execFileSync('docker', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

afterAll(() => fs.rmSync(config, { recursive: true, force: true }));

describe('the berth docker context', () => {
  it('is made and changed only with the docker CLI’s context commands, never `context use`', () => {
    const commands = contextCommands('berth', 'unix:///s/docker.sock');
    expect(commands.create).toEqual([
      'context',
      'create',
      'berth',
      '--description',
      'Berth: the engine in the Berth VM',
      '--docker',
      'host=unix:///s/docker.sock',
    ]);
    expect(Object.values(commands).flat()).not.toContain('use');
  });

  it('is a note, not an error, when there is no docker CLI', async () => {
    const result = await ensureDockerContext('unix:///s/docker.sock', { cli: '/nonexistent/docker', env });
    expect(result).toEqual({
      status: 'skipped',
      name: 'berth',
      note: 'The docker CLI was not found, so no "berth" context was made; use DOCKER_HOST=unix:///s/docker.sock.',
    });
  });

  it.runIf(hasCli)(
    'is created, left alone when right, updated when the socket moved, in DOCKER_CONFIG, without switching contexts',
    async () => {
      expect(await ensureDockerContext('unix:///a/docker.sock', { env })).toMatchObject({ status: 'created' });
      expect(await ensureDockerContext('unix:///a/docker.sock', { env })).toMatchObject({ status: 'unchanged' });
      expect(await ensureDockerContext('unix:///b/docker.sock', { env })).toMatchObject({ status: 'updated' });
      const host = execFileSync('docker', ['context', 'inspect', 'berth', '--format', '{{.Endpoints.docker.Host}}'], { env });
      expect(host.toString().trim()).toBe('unix:///b/docker.sock');
      expect(execFileSync('docker', ['context', 'show'], { env }).toString().trim()).toBe('default');
      expect(fs.existsSync(path.join(config, 'contexts', 'meta'))).toBe(true);
    },
  );
});
