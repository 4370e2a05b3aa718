/**
 * When a VM test fails, its output ends with the tail of the VM's console log: in CI the state
 * folder is gone by the time anyone looks, and the guest's side (a kernel warning, an init message)
 * is often the only clue to why the engine stopped answering.
 */
import { afterEach } from 'vitest';
import type { VmService } from '../vm-service.js';

// Enough for a soft lockup report with both vCPUs' backtraces.
const TAIL_LINES = 80;

/** Registers an afterEach in the calling describe block. */
export function printConsoleTailOnFailure(vm: VmService): void {
  afterEach((context) => {
    if (context.task.result?.state !== 'fail') return;
    const tail = vm.consoleTail(TAIL_LINES).join('\n') || '(no console log)';
    console.error(`--- VM console after "${context.task.name}" failed (${vm.consoleLogPath}) ---\n${tail}\n---`);
  });
}
