// Compose projects from a file: up with progress, down, restart; through the compose CLI plugin.
export { ComposeService, type ComposeTool } from './compose-service.js';
export type { ComposeDownMethod, ComposeProgressLine, ComposeUpItem } from './compose-types.js';
