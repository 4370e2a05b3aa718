/** The engine connection and the services over it, created once per app. */
import { ComposeService, type ComposeTool } from '../../engine/compose/index.js';
import { ContainerService } from '../../engine/containers/index.js';
import { createKeyFileCredentialStore, type CredentialStore } from '../../engine/images/index.js';
import { DiskUsageService } from '../../engine/disk/index.js';
import { EngineConnection } from '../../engine/core/index.js';
import type { EngineClientOptions, EngineEndpoint, HeartbeatOptions } from '../../engine/core/index.js';
import { ImageService } from '../../engine/images/index.js';
import { LogsExplorer } from '../../engine/logs/index.js';
import { NetworkService } from '../../engine/networks/index.js';
import { hostPortLookupFor, PortHolderFinder, type ForwardsReady } from '../../engine/ports/index.js';
import { TerminalSessionManager } from '../../engine/terminals/index.js';
import { VolumeBrowser } from '../../engine/volumes/index.js';
import { VolumeService, VolumeTransfers } from '../../engine/volumes/index.js';
import { berthStateDir } from '../state-dir.js';

export interface EngineServices {
  readonly connection: EngineConnection;
  readonly containers: ContainerService;
  readonly logsExplorer: LogsExplorer;
  readonly images: ImageService;
  readonly volumes: VolumeService;
  readonly volumeBrowser: VolumeBrowser;
  readonly volumeTransfers: VolumeTransfers;
  readonly portHolders: PortHolderFinder;
  readonly networks: NetworkService;
  readonly diskUsage: DiskUsageService;
  readonly terminals: TerminalSessionManager;
  readonly compose: ComposeService;
  dispose(): Promise<void>;
}

/** connectNow false: the engine is not there yet (the VM boots); whoever starts it calls connection.useEndpoint. */
export function createEngineServices(
  endpoint: EngineEndpoint,
  {
    connectNow = true,
    credentials,
    clientOptions,
    composeTool = () => 'Berth was started without a compose tool.',
    berthForward,
    forwardsReady,
    heartbeat,
  }: {
    connectNow?: boolean;
    credentials?: CredentialStore;
    clientOptions?: EngineClientOptions;
    /** The compose plugin and the environment that points it at this engine; a string says why there is none. */
    composeTool?: () => ComposeTool | string;
    /** Berth's VM forwards on this computer, so a port one of them holds is named as such. */
    berthForward?: (port: number) => string | null;
    /** Berth's VM: resolves once a started container's ports are forwarded to this computer. */
    forwardsReady?: ForwardsReady;
    /** Pings while connected, so an engine that goes silent (a VM's cut network) is shown within seconds. */
    heartbeat?: HeartbeatOptions;
  } = {},
): EngineServices {
  const connection = new EngineConnection(endpoint, clientOptions, heartbeat ? { heartbeat } : {});
  const terminals = new TerminalSessionManager(connection);
  if (connectNow) connection.start();
  const volumes = new VolumeService(connection);
  const portHolders = new PortHolderFinder(connection, hostPortLookupFor(), berthForward ? { berthForward } : {});
  const describePort = (port: number) => portHolders.describe(port);
  const containers = new ContainerService(connection, describePort, forwardsReady);
  return {
    connection,
    containers,
    logsExplorer: new LogsExplorer(connection, containers),
    // Registry logins: sealed with a key file in Berth's state dir unless the app hands in another
    // store (Electron: the OS keychain through safeStorage).
    images: new ImageService(connection, {
      credentials: credentials ?? createKeyFileCredentialStore(berthStateDir()),
      describePort,
      ...(forwardsReady ? { forwardsReady } : {}),
    }),
    volumes,
    volumeBrowser: new VolumeBrowser(connection, volumes),
    volumeTransfers: new VolumeTransfers(connection, volumes),
    portHolders,
    networks: new NetworkService(connection),
    diskUsage: new DiskUsageService(connection),
    terminals,
    compose: new ComposeService(connection, composeTool),
    async dispose() {
      await terminals.closeAll();
      connection.dispose();
    },
  };
}
