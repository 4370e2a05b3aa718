// Logs across containers: one stream of many containers' lines, merged by the engine's timestamps.
export { LogsExplorer, type ExplorerLimits } from './logs-explorer.js';
export { emptyMerged, LogMerger, skipSeenLines, timeKey } from './log-merge.js';
export type { ExploreItem, ExploreScope, ExploreSource, MergedBatch } from './logs-types.js';
