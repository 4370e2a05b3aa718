// Who holds a port: a container, Berth's own forward, or a process of this computer (per system).
export { parseLsofListeners, parseNetstatListeners, parseProcNetTcp, parseTasklist } from './host-listeners.js';
export { hostPortLookupFor, LinuxPortLookup, type HostPortLookup, type HostPortProcess } from './host-port-lookup.js';
export {
  describePortHolder,
  portHolderPhrase,
  type PortHolder,
  type PortHolderOptions,
  PortHolderFinder,
  portInUse,
} from './port-holder.js';
export { awaitForwards, type ForwardsReady } from './forwards-ready.js';
