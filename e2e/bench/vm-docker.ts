/**
 * The docker CLI against one engine of the VM benchmarks: the VM (TCP with this installation's TLS
 * client certificate) or the host's own dockerd (unix socket). Same CLI, same image, both sides.
 */
import { performance } from 'node:perf_hooks';
import { busyboxRootTar, dockerCli } from '../../engine/testing/test-images.js';

export interface DockerTarget {
  /** DOCKER_HOST form: unix:///… or tcp://127.0.0.1:PORT */
  host: string;
  /** A directory with ca.pem, cert.pem, key.pem when the engine wants mutual TLS. */
  tlsDir?: string;
}

export const BENCH_IMAGE = 'berth-bench/busybox';

export function dockerOn(target: DockerTarget, args: string[], input?: Buffer): Promise<string> {
  return dockerCli(target.host, args, input, { tlsDir: target.tlsDir });
}

/** ms a docker command takes, end to end (CLI included, as a user sees it). */
export async function timeDocker(target: DockerTarget, args: string[]): Promise<number> {
  const started = performance.now();
  await dockerOn(target, args);
  return performance.now() - started;
}

/** A busybox root with every applet, imported as BENCH_IMAGE. */
export async function importBusybox(target: DockerTarget): Promise<void> {
  await dockerOn(target, ['import', '-', BENCH_IMAGE], await busyboxRootTar());
}
