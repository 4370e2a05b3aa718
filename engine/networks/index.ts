// Networks: list, create, connect, remove, and the subnet rules.
export { NetworkService } from './network-service.js';
