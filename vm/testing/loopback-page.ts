/** What the VM tests fetch through a published port: GET / from this computer's 127.0.0.1. */
import http from 'node:http';

/** The body, or the error code (ECONNREFUSED, ETIMEDOUT, ...). */
export function fetchLoopbackPage(port: number): Promise<{ body: string } | { error: string }> {
  return new Promise((resolve) => {
    const request = http.get({ host: '127.0.0.1', port, path: '/', agent: false, timeout: 5_000 }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve({ body }));
    });
    request.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
    request.on('timeout', () => request.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
  });
}

/** The body once something answers; null until then (for waitFor). */
export async function loopbackPageBody(port: number): Promise<string | null> {
  const result = await fetchLoopbackPage(port);
  return 'body' in result ? result.body : null;
}
