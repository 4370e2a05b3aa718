/** The logs explorer's part of the contract's implementation, over LogsExplorer. */
import type { LogsExplorer } from '../../engine/logs/index.js';
import type { logsContract } from '../contract/logs-contract.js';
import type { BerthImplementation } from './implementation.js';

type LogsImplementation = Pick<BerthImplementation['logs'], keyof typeof logsContract>;

export function createLogsImplementation(explorer: LogsExplorer): LogsImplementation {
  return {
    explore: ({ ids, project, tail }, _peer, signal) => explorer.explore({ ids, project }, tail, signal),
  };
}
