/**
 * Many engine clients at once, each on its own new connection (as many separate `docker` commands or
 * IDE plugins would be), for the host socket's load test: how long each waited for its whole answer,
 * and which failed and why.
 */
import http from 'node:http';
import https from 'node:https';
import { performance } from 'node:perf_hooks';
import type { TlsMaterial } from '../../engine/core/index.js';

/** Where the clients connect: the host's unix socket, or the engine's TLS forward directly. */
export type ClientTarget = { kind: 'socket'; socketPath: string } | { kind: 'tls'; port: number; tls: TlsMaterial };

export interface ClientFigures {
  clients: number;
  failures: string[];
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  wallMs: number;
}

const REQUEST_TIMEOUT_MS = 60_000;

function requestOnce(target: ClientTarget, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const options = { path, method: 'GET', agent: false as const, timeout: REQUEST_TIMEOUT_MS };
    const request =
      target.kind === 'socket'
        ? http.request({ ...options, socketPath: target.socketPath })
        : https.request({ ...options, host: '127.0.0.1', port: target.port, ...target.tls });
    request.on('response', (response) => {
      response.resume();
      response.on('end', () =>
        response.statusCode === 200 ? resolve() : reject(new Error(`${path}: HTTP ${response.statusCode ?? '?'}`)),
      );
      response.on('error', reject);
    });
    request.on('timeout', () => request.destroy(new Error(`${path}: no answer in ${REQUEST_TIMEOUT_MS / 1000} s`)));
    request.on('error', reject);
    request.end();
  });
}

function percentile(sorted: number[], fraction: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]!;
}

/** `clients` requests at once, each on a new connection, cycling through `paths`. */
export async function concurrentClients(target: ClientTarget, clients: number, paths: string[]): Promise<ClientFigures> {
  const began = performance.now();
  const outcomes = await Promise.all(
    Array.from({ length: clients }, async (_, index) => {
      const path = paths[index % paths.length]!;
      const start = performance.now();
      try {
        await requestOnce(target, path);
        return { ms: performance.now() - start, failure: null };
      } catch (error) {
        return { ms: performance.now() - start, failure: `${path}: ${(error as Error).message}` };
      }
    }),
  );
  const answered = outcomes
    .filter((outcome) => outcome.failure === null)
    .map((outcome) => outcome.ms)
    .sort((a, b) => a - b);
  const round = (ms: number) => Math.round(ms);
  return {
    clients,
    failures: outcomes.flatMap((outcome) => (outcome.failure ? [outcome.failure] : [])),
    p50Ms: round(percentile(answered, 0.5)),
    p99Ms: round(percentile(answered, 0.99)),
    maxMs: round(answered.at(-1) ?? NaN),
    wallMs: round(performance.now() - began),
  };
}
