/**
 * When a VM test fails, its output ends with the tail of the VM's console log: in CI the state
 * folder is gone by the time anyone looks, and the guest's side (a kernel warning, an init message)
 * is often the only clue to why the engine stopped answering.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach } from 'vitest';

const TAIL_LINES = 80;

/** Registers an afterEach in the calling describe block; STATE_DIR is the VmService's stateDir. */
export function printConsoleTailOnFailure(stateDir: string): void {
  afterEach((context) => {
    if (context.task.result?.state !== 'fail') return;
    const logPath = path.join(stateDir, 'console.log');
    let tail: string;
    try {
      tail = fs.readFileSync(logPath, 'utf8').split('\n').slice(-TAIL_LINES).join('\n');
    } catch {
      tail = '(no console log)';
    }
    console.error(`--- VM console after "${context.task.name}" failed (${logPath}) ---\n${tail}\n---`);
  });
}
