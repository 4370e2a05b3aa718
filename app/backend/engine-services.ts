/** The engine connection and the services over it, created once per app. */
import { ContainerService } from '../../engine/containers/index.js';
import { createKeyFileCredentialStore, type CredentialStore } from '../../engine/images/index.js';
import { DiskUsageService } from '../../engine/disk/index.js';
import { EngineConnection } from '../../engine/core/index.js';
import type { EngineEndpoint } from '../../engine/core/index.js';
import { ImageService } from '../../engine/images/index.js';
import { NetworkService } from '../../engine/networks/index.js';
import { hostPortLookupFor, PortHolderFinder } from '../../engine/ports/index.js';
import { TerminalSessionManager } from '../../engine/terminals/index.js';
import { VolumeBrowser } from '../../engine/volumes/index.js';
import { VolumeService, VolumeTransfers } from '../../engine/volumes/index.js';
import { berthStateDir } from '../state-dir.js';

export interface EngineServices {
  readonly connection: EngineConnection;
  readonly containers: ContainerService;
  readonly images: ImageService;
  readonly volumes: VolumeService;
  readonly volumeBrowser: VolumeBrowser;
  readonly volumeTransfers: VolumeTransfers;
  readonly portHolders: PortHolderFinder;
  readonly networks: NetworkService;
  readonly diskUsage: DiskUsageService;
  readonly terminals: TerminalSessionManager;
  dispose(): Promise<void>;
}

/** connectNow false: the engine is not there yet (the VM boots); whoever starts it calls connection.useEndpoint. */
export function createEngineServices(
  endpoint: EngineEndpoint,
  { connectNow = true, credentials }: { connectNow?: boolean; credentials?: CredentialStore } = {},
): EngineServices {
  const connection = new EngineConnection(endpoint);
  const terminals = new TerminalSessionManager(connection);
  if (connectNow) connection.start();
  const volumes = new VolumeService(connection);
  const portHolders = new PortHolderFinder(connection, hostPortLookupFor());
  const describePort = (port: number) => portHolders.describe(port);
  return {
    connection,
    containers: new ContainerService(connection, describePort),
    // Registry logins: sealed with a key file in Berth's state dir unless the app hands in another
    // store (Electron: the OS keychain through safeStorage).
    images: new ImageService(connection, {
      credentials: credentials ?? createKeyFileCredentialStore(berthStateDir()),
      describePort,
    }),
    volumes,
    volumeBrowser: new VolumeBrowser(connection, volumes),
    volumeTransfers: new VolumeTransfers(connection, volumes),
    portHolders,
    networks: new NetworkService(connection),
    diskUsage: new DiskUsageService(connection),
    terminals,
    async dispose() {
      await terminals.closeAll();
      connection.dispose();
    },
  };
}
