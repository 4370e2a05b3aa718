/** Facts about the host a VM boot needs: a free loopback port, and the TSC frequency for the kernel. */
import fs from 'node:fs';
import net from 'node:net';

/** A port on 127.0.0.1 that nothing listens on right now (the OS picks it). */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** The host's TSC frequency in kHz, passed as tsc_early_khz/lpj (microvm hangs in ~1 of 6 boots without). */
export function hostTscKhz(): number | undefined {
  try {
    const match = /^cpu MHz\s*:\s*([\d.]+)/m.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'));
    return match ? Math.round(Number(match[1]) * 1000) : undefined;
  } catch {
    return undefined;
  }
}
