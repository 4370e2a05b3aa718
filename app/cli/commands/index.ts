// The `berth` command's table: one small file per command; settings and diagnose over helper B's contract.
import type { CommandSpec } from '../command.js';
import { contextCommand } from './context.js';
import { diagnoseCommand } from './diagnose.js';
import { restartCommand, startCommand, stopCommand } from './lifecycle.js';
import { openCommand } from './open.js';
import { quitCommand } from './quit.js';
import { resetCommand } from './reset.js';
import { settingsCommand } from './settings.js';
import { statusCommand } from './status.js';

export const COMMANDS: readonly CommandSpec[] = [
  statusCommand,
  startCommand,
  stopCommand,
  restartCommand,
  quitCommand,
  contextCommand,
  openCommand,
  resetCommand,
  settingsCommand,
  diagnoseCommand,
];
