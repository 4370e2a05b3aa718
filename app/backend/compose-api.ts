/** The compose part of the contract's implementation, over the ComposeService and the shell's file chooser. */
import { EngineError } from '../../engine/core/index.js';
import type { ComposeService } from '../../engine/compose/index.js';
import type { BerthImplementation } from './implementation.js';

/** A native "open file" dialog for a compose file (Electron); browser mode has none: the path is typed. */
export type ChooseComposeFile = () => Promise<string | null>;

export function createComposeImplementation(
  compose: ComposeService,
  chooseFile?: ChooseComposeFile,
): BerthImplementation['compose'] {
  return {
    up: ({ file, projectName }, _peer, signal) => compose.up({ file: file.trim(), projectName }, signal),
    down: ({ project }) => compose.down(project),
    restart: ({ project }) => compose.restart(project),
    chooseFile: async () => {
      if (!chooseFile)
        throw new EngineError('invalid-argument', "Only the desktop app has a file chooser: type the compose file's path.");
      return chooseFile();
    },
  };
}
