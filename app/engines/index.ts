// The engine list: Berth's VM, this computer's engine and the ssh:// and tcp:// engines the user added; switching between them; where the list is kept.
export { EngineRegistry, type BuiltInEngine, type SwitchableConnection } from './engine-registry.js';
export { createFileEngineListStore, createMemoryEngineListStore, type EngineListStore } from './engine-list-store.js';
