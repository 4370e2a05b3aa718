/**
 * Playwright globalSetup: a private dockerd with the local test images, and Berth in browser mode on
 * it, exactly as `npm run web` starts it (the built bundle). Tests read the addresses from env.
 * Returns the teardown.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalDockerd } from '../engine/dockerd/index.js';
import { startLocalRegistry } from '../engine/testing/local-registry.js';
import { buildTestImages } from '../engine/testing/test-images.js';
import { readBerthUrl } from '../app/launcher/testing/berth-url.js';
import { describeHits, logFilesUnder, scanFilesForSecrets, type KnownSecret } from '../tools/log-secrets.js';

// Overridable so that two e2e runs on one machine (say, two checkouts) do not share a bridge.
export const E2E_BRIDGE = process.env.BERTH_E2E_BRIDGE ?? 'berthe2e0';
export const E2E_SUBNET = process.env.BERTH_E2E_SUBNET ?? '172.29.231';

export default async function globalSetup(): Promise<() => Promise<void>> {
  // A kept directory, so the engine-restart spec can stop and start the same engine.
  const engineDir = mkdtempSync(join(tmpdir(), 'berth-e2e-'));
  const dockerd = await startLocalDockerd({ dir: engineDir, bridge: E2E_BRIDGE, subnetPrefix: E2E_SUBNET });
  await buildTestImages(dockerd.dockerHost);
  // A private registry (no login) on 127.0.0.1, which dockerd allows over plain HTTP by default.
  const registry = await startLocalRegistry();

  const berth = spawn(process.execPath, ['dist/app/berth.mjs', '--web', '--engine', dockerd.dockerHost], {
    cwd: join(import.meta.dirname, '..'),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // 'close' comes once its output is all read, so the log is complete for the scan at teardown.
  const berthClosed = new Promise<void>((resolve) => berth.once('close', () => resolve()));
  // Berth's log goes on to this run's output, and to a file the specs read (what the server said).
  const logPath = join(engineDir, 'berth.log');
  const log = createWriteStream(logPath);
  berth.stderr.on('data', (chunk: Buffer) => {
    process.stderr.write(chunk);
    log.write(chunk);
  });
  const url = await readBerthUrl(berth);

  process.env.BERTH_URL = url;
  process.env.BERTH_DOCKER_HOST = dockerd.dockerHost;
  process.env.BERTH_ENGINE_DIR = engineDir;
  process.env.BERTH_REGISTRY = registry.address;
  process.env.BERTH_LOG_PATH = logPath;

  return async () => {
    berth.kill('SIGTERM');
    await berthClosed;
    await new Promise<void>((resolve) => log.end(resolve));
    // No secret of this run in its logs (Berth's, dockerd's): the token, registry passwords, any private key.
    const secrets: KnownSecret[] = [
      { label: 'the browser-mode token', value: new URLSearchParams(new URL(url).hash.slice(1)).get('token')! },
    ];
    const registryPassword = process.env.BERTH_REGISTRY_PASSWORD;
    if (registryPassword) secrets.push({ label: "the e2e registry's password", value: registryPassword });
    const leaks = scanFilesForSecrets(logFilesUnder([engineDir]), secrets);
    await registry.stop();
    // The engine-restart spec may have replaced the engine; stop whatever runs in that directory.
    const { stopDockerdIn } = await import('../engine/dockerd/index.js');
    await stopDockerdIn(engineDir, E2E_BRIDGE);
    if (leaks.length > 0) throw new Error(`Secrets in the logs of this e2e run:\n${describeHits(leaks)}`);
  };
}
