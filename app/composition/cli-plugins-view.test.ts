import { describe, expect, it } from 'vitest';
import { CliPluginsSchema } from '../contract/machine-contract.js';
import { cliPluginsView } from './cli-plugins-view.js';

describe('cliPluginsView', () => {
  it('names the commands, writes home paths with ~ (not a look-alike prefix), and keeps reasons of failures only', () => {
    const view = cliPluginsView(
      {
        folder: '/home/ada/.docker/cli-plugins',
        note: null,
        plugins: [
          {
            plugin: 'docker-compose',
            status: 'installed',
            version: '2.26.1-4',
            path: '/home/ada/.docker/cli-plugins/docker-compose',
          },
          { plugin: 'docker-buildx', status: 'kept', version: null, path: '/home/adam/bin/docker-buildx' },
          {
            plugin: 'docker-x',
            status: 'failed',
            version: '1',
            path: '/home/ada/.docker/cli-plugins/docker-x',
            reason: 'no permission',
          },
        ],
      },
      '/home/ada',
    );
    expect(CliPluginsSchema.parse(view)).toEqual({
      folder: '~/.docker/cli-plugins',
      note: null,
      plugins: [
        {
          command: 'compose',
          status: 'installed',
          version: '2.26.1-4',
          path: '~/.docker/cli-plugins/docker-compose',
          reason: null,
        },
        { command: 'buildx', status: 'kept', version: null, path: '/home/adam/bin/docker-buildx', reason: null },
        { command: 'x', status: 'failed', version: '1', path: '~/.docker/cli-plugins/docker-x', reason: 'no permission' },
      ],
    });
    expect(cliPluginsView(null, '/home/ada')).toBeNull();
  });
});
