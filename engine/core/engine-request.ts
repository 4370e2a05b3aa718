/**
 * Raw streaming requests to the engine, for the endpoints dockerode only buffers (logs without follow)
 * or whose headers we need (archive), and a reader that takes everything already buffered at once, so
 * a consumer that fell behind catches up in big batches instead of one socket chunk at a time.
 */
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import type { EngineConnection } from './engine-connection.js';
import { toEngineError } from './errors.js';

/** Chunks closer together than this count as one burst. */
const BURST_MS = 50;

interface ModemDialOptions {
  path: string;
  method: 'GET' | 'HEAD' | 'PUT' | 'POST';
  options?: Record<string, string | number | boolean>;
  isStream: boolean;
  statusCodes: Record<number, true | string>;
  abortSignal?: AbortSignal;
  file?: Buffer | Readable;
}

interface Modem {
  dial(options: ModemDialOptions, callback: (error: unknown, response: unknown) => void): void;
}

const STATUS_CODES: Record<number, true | string> = {
  200: true,
  204: true,
  400: 'bad parameter',
  404: 'no such container',
  409: 'conflict',
  500: 'server error',
};

export interface EngineStreamRequest {
  method?: 'GET' | 'HEAD';
  path: string;
  query?: Record<string, string | number | boolean>;
  signal?: AbortSignal;
  /** Names the action in error messages ("read the logs of web"). */
  context: string;
}

/** Opens a streaming request; the response's body is the stream and its headers are kept. */
export function openEngineStream(connection: EngineConnection, request: EngineStreamRequest): Promise<IncomingMessage> {
  connection.assertConnected();
  const modem = connection.docker.modem as unknown as Modem;
  return new Promise((resolve, reject) => {
    modem.dial(
      {
        path: `${request.path}?`,
        method: request.method ?? 'GET',
        // dial() deletes keys from this object; hand it a copy.
        options: { ...request.query },
        isStream: true,
        statusCodes: STATUS_CODES,
        abortSignal: request.signal,
      },
      (error, response) => (error ? reject(toEngineError(error, request.context)) : resolve(response as IncomingMessage)),
    );
  });
}

/**
 * Yields the stream's data, joining whatever is already buffered (up to `maxBytes`) into one chunk.
 * Pulling is the backpressure: while the caller does not ask for more, nothing is read from the
 * socket and the engine waits. Destroys the stream when the caller stops early.
 *
 * `holdMs`: during a burst (the previous chunk went out less than BURST_MS ago) wait up to this long
 * for more data before yielding, so a fast stream travels in a few big chunks instead of thousands of
 * small ones; a lone line after a pause still goes out at once.
 */
export async function* readAvailable(
  stream: Readable,
  maxBytes: number,
  options: { holdMs?: number } = {},
): AsyncGenerator<Buffer> {
  const holdMs = options.holdMs ?? 0;
  let ended = false;
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  let lastYield = 0;
  const notify = () => {
    const resolve = wake;
    wake = undefined;
    resolve?.();
  };
  const onEnd = () => {
    ended = true;
    notify();
  };
  const onError = (error: Error) => {
    failure = error;
    onEnd();
  };
  const waitForData = (timeoutMs?: number) =>
    new Promise<void>((resolve) => {
      const timer = timeoutMs === undefined ? undefined : setTimeout(resolve, timeoutMs);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  stream.on('readable', notify);
  stream.on('end', onEnd);
  stream.on('close', onEnd);
  stream.on('error', onError);
  try {
    for (;;) {
      const parts: Buffer[] = [];
      let size = 0;
      const drain = () => {
        let chunk: Buffer | null;
        while (size < maxBytes && (chunk = stream.read() as Buffer | null) !== null) {
          parts.push(chunk);
          size += chunk.length;
        }
      };
      drain();
      if (size > 0 && holdMs > 0 && performance.now() - lastYield < BURST_MS) {
        const deadline = performance.now() + holdMs;
        while (size < maxBytes && !ended && performance.now() < deadline) {
          await waitForData(deadline - performance.now());
          drain();
        }
      }
      if (parts.length > 0) {
        lastYield = performance.now();
        yield parts.length === 1 ? parts[0]! : Buffer.concat(parts, size);
        continue;
      }
      if (failure && failure.name !== 'AbortError') throw failure;
      if (ended || stream.readableEnded || stream.destroyed) return;
      await waitForData();
    }
  } finally {
    stream.off('readable', notify);
    stream.destroy();
  }
}
