/**
 * For tests that stand in for the VM's dockerd on its TLS port: this installation's TLS material made in
 * a folder, the client's side as Berth reads it, and the server's side as dockerd has it (the engine's
 * certificate, a client certificate required).
 */
import fs from 'node:fs';
import path from 'node:path';
import type tls from 'node:tls';
import { readTlsMaterial, type TlsMaterial } from '../../engine/core/index.js';
import { ensureTlsMaterial } from '../host/tls-material.js';

export async function engineTlsStandIn(tlsDir: string): Promise<{ client: TlsMaterial; server: tls.TlsOptions }> {
  await ensureTlsMaterial(tlsDir);
  const read = (name: string) => fs.readFileSync(path.join(tlsDir, name));
  return {
    client: readTlsMaterial(tlsDir),
    server: {
      ca: read('ca.pem'),
      cert: read('server-cert.pem'),
      key: read('server-key.pem'),
      requestCert: true,
      rejectUnauthorized: true,
    },
  };
}
