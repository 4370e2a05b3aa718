import { describe, expect, it } from 'vitest';
import type { CliPlugins } from '../../../../app/contract/machine-contract';
import { cliPluginLines, upstreamVersion } from './cli-plugin-lines';

const folder = '~/.docker/cli-plugins';
const plugin = (command: string, status: CliPlugins['plugins'][number]['status'], version: string | null, extra = {}) => ({
  command,
  status,
  version,
  path: `${folder}/docker-${command}`,
  reason: null,
  ...extra,
});

describe('cliPluginLines', () => {
  it('says what Berth installed, with the upstream versions, in one sentence', () => {
    const lines = cliPluginLines({
      folder,
      note: null,
      plugins: [plugin('compose', 'installed', '2.26.1-4'), plugin('buildx', 'current', '0.13.1+ds1-3')],
    });
    expect(lines).toEqual([
      'docker compose 2.26.1 and docker buildx 0.13.1 installed for your docker CLI in ~/.docker/cli-plugins.',
    ]);
  });

  it("names the user's own plugins it kept, where they are, and what failed with the reason", () => {
    const lines = cliPluginLines({
      folder,
      note: null,
      plugins: [
        plugin('compose', 'kept', '2.30.0', { path: '/usr/libexec/docker/cli-plugins/docker-compose' }),
        plugin('buildx', 'failed', '0.13.1+ds1-3', { reason: `no permission to write in ${folder}` }),
      ],
    });
    expect(lines).toEqual([
      'Kept your own docker compose 2.30.0 (/usr/libexec/docker/cli-plugins/docker-compose).',
      'Could not install docker buildx in ~/.docker/cli-plugins: no permission to write in ~/.docker/cli-plugins.',
    ]);
  });

  it('says "updated" for a newer Berth copy, leaves out an unknown version, and passes a note through', () => {
    expect(
      cliPluginLines({ folder, note: null, plugins: [plugin('compose', 'updated', '2.27.0-1'), plugin('buildx', 'kept', null)] }),
    ).toEqual([
      'docker compose 2.27.0 updated for your docker CLI in ~/.docker/cli-plugins.',
      'Kept your own docker buildx (~/.docker/cli-plugins/docker-buildx).',
    ]);
    expect(cliPluginLines({ folder, note: 'not built', plugins: [] })).toEqual(['not built']);
    expect(cliPluginLines(null)).toEqual([]);
  });
});

describe('upstreamVersion', () => {
  it('drops the Debian revision, repack suffix and epoch', () => {
    expect(upstreamVersion('2.26.1-4')).toBe('2.26.1');
    expect(upstreamVersion('0.13.1+ds1-3')).toBe('0.13.1');
    expect(upstreamVersion('1:2.0.1-2')).toBe('2.0.1');
    expect(upstreamVersion('2.30.0')).toBe('2.30.0');
  });
});
