/** Berth started as a child process in browser mode: the URL it prints, once it prints it. */
import type { ChildProcess } from 'node:child_process';

export function readBerthUrl(berth: ChildProcess, timeoutMs = 30_000): Promise<string> {
  const stdout = berth.stdout;
  if (!stdout) throw new Error('Berth must be spawned with a piped stdout');
  const url = new Promise<string>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`Berth did not print its URL:\n${output}`)), timeoutMs);
    stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Open: (http:\/\/127\.0\.0\.1:\d+\/#token=\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    berth.on('exit', (code) => reject(new Error(`Berth exited (${code}) at start:\n${output}`)));
  });
  // Keep reading after the URL, so a chatty Berth never blocks on a full pipe.
  void url.then(
    () => stdout.resume(),
    () => undefined,
  );
  return url;
}
