/** The engine connection and the services over it, created once per app. */
import { ContainerService } from '../../engine/container-service.js';
import { EngineConnection } from '../../engine/engine-connection.js';
import type { EngineEndpoint } from '../../engine/endpoint.js';
import { ImageService } from '../../engine/image-service.js';
import { TerminalService } from '../../engine/terminal-service.js';
import { VolumeService } from '../../engine/volume-service.js';

export interface EngineServices {
  readonly connection: EngineConnection;
  readonly containers: ContainerService;
  readonly images: ImageService;
  readonly volumes: VolumeService;
  readonly terminals: TerminalService;
  dispose(): Promise<void>;
}

export function createEngineServices(endpoint: EngineEndpoint): EngineServices {
  const connection = new EngineConnection(endpoint);
  const terminals = new TerminalService(connection);
  connection.start();
  return {
    connection,
    containers: new ContainerService(connection),
    images: new ImageService(connection),
    volumes: new VolumeService(connection),
    terminals,
    async dispose() {
      await terminals.closeAll();
      connection.dispose();
    },
  };
}
