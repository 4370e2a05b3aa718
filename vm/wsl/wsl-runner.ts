/**
 * Runs wsl.exe for WslMachine: short commands whose output is read whole, and Berth's init, which runs
 * for as long as the engine does and whose output is the distribution's console. An interface, so the
 * machine's state machine is tested with a fake; createWslRunner is the real one (on Linux its tests
 * run a stand-in executable that writes what wsl.exe writes).
 */
import { spawn } from 'node:child_process';
import { Emitter, LineSplitter, type Disposable } from '../../base/index.js';
import { decodeWslOutput, WSL_EXE, type WslCommandResult } from './wsl-commands.js';

export interface WslProcess {
  /** Each line the process prints on stdout or stderr, as it comes. */
  onLine(listener: (line: string) => void): Disposable;
  /** "exit code 0", "signal SIGTERM", once it has ended. */
  readonly exitStatus: Promise<string>;
  readonly running: boolean;
  /** Ends wsl.exe. The Linux processes it started keep running: stop or terminate the distribution for that. */
  kill(): void;
}

export interface WslRunner {
  run(args: readonly string[], options?: { input?: Buffer; timeoutMs?: number }): Promise<WslCommandResult>;
  spawn(args: readonly string[]): WslProcess;
}

const DEFAULT_TIMEOUT_MS = 120_000;

export interface WslRunnerOptions {
  /** wsl.exe on PATH (System32) by default; tests give a stand-in. */
  executable?: string;
  env?: NodeJS.ProcessEnv;
}

export function createWslRunner(options: WslRunnerOptions = {}): WslRunner {
  const executable = options.executable ?? WSL_EXE;
  // WSL_UTF8=1: wsl.exe's own messages in UTF-8 (WSL 0.64+); older ones still write UTF-16LE.
  const env = { ...(options.env ?? process.env), WSL_UTF8: '1' };
  return {
    run(args, runOptions = {}) {
      return new Promise((resolve) => {
        const child = spawn(executable, [...args], { env, stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
        const stdout: Buffer[] = [];
        const stderr: Buffer[] = [];
        let timedOut = false;
        const timer = setTimeout(() => {
          timedOut = true;
          child.kill();
        }, runOptions.timeoutMs ?? DEFAULT_TIMEOUT_MS);
        child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
        child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
        child.stdin.on('error', () => undefined); // a command that does not read its input
        child.stdin.end(runOptions.input);
        child.once('error', (error: NodeJS.ErrnoException) => {
          clearTimeout(timer);
          resolve({ code: error.code === 'ENOENT' ? 'ENOENT' : -1, stdout: '', stderr: error.message });
        });
        child.once('close', (code, signal) => {
          clearTimeout(timer);
          const note = timedOut
            ? `\nwsl.exe ${args.join(' ')} did not finish within ${(runOptions.timeoutMs ?? DEFAULT_TIMEOUT_MS) / 1000} s`
            : '';
          resolve({
            code: code ?? (signal ? -1 : 0),
            stdout: decodeWslOutput(Buffer.concat(stdout)),
            stderr: decodeWslOutput(Buffer.concat(stderr)) + note,
          });
        });
      });
    },
    spawn(args) {
      const child = spawn(executable, [...args], { env, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
      const lines = new Emitter<string>();
      let running = true;
      for (const stream of [child.stdout, child.stderr]) {
        const splitter = new LineSplitter();
        const decoder = new TextDecoder('utf-8');
        stream.on('data', (chunk: Buffer) => {
          for (const line of splitter.push(decoder.decode(chunk, { stream: true }).replace(/\0/g, ''))) lines.fire(line);
        });
        stream.on('end', () => {
          for (const line of splitter.end()) lines.fire(line);
        });
      }
      const exitStatus = new Promise<string>((resolve) => {
        child.once('error', (error) => {
          running = false;
          resolve(`could not start ${executable}: ${error.message}`);
        });
        child.once('close', (code, signal) => {
          running = false;
          resolve(signal ? `signal ${signal}` : `exit code ${code}`);
        });
      });
      return {
        onLine: lines.event,
        exitStatus,
        get running() {
          return running;
        },
        kill: () => {
          if (running) child.kill();
        },
      };
    },
  };
}
