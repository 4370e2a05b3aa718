/** The docker CLI on a running VM's engine (TCP through QEMU's forward), as the VM tests drive it. */
import { dockerCli } from '../../engine/testing/test-images.js';
import type { VmService } from '../vm-service.js';

/** `docker ARGS` on the VM's engine, with this installation's client certificate. */
export function dockerOnVm(vm: VmService, args: string[], input?: Buffer): Promise<string> {
  const endpoint = vm.endpoint();
  if (endpoint.kind !== 'tcp') throw new Error('expected a TCP endpoint');
  return dockerCli(`tcp://127.0.0.1:${endpoint.port}`, args, input, { tlsDir: vm.tlsDir });
}
