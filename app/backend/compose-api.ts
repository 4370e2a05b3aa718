/** The compose part of the contract's implementation, over the ComposeService. */
import type { ComposeService } from '../../engine/compose/index.js';
import type { BerthImplementation } from './implementation.js';

export function createComposeImplementation(compose: ComposeService): BerthImplementation['compose'] {
  return {
    up: ({ file, projectName }, _peer, signal) => compose.up({ file: file.trim(), projectName }, signal),
    down: ({ project }) => compose.down(project),
    restart: ({ project }) => compose.restart(project),
  };
}
