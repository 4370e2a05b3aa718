import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { EngineAccess } from './EngineAccess';

const folder = '~/.docker/cli-plugins';

describe('EngineAccess: docker compose and buildx', () => {
  it('lists what was installed under a heading that names the list, with a command to try', () => {
    const html = renderToStaticMarkup(
      <EngineAccess
        dockerHost="unix:///s/docker.sock"
        dockerContext="berth"
        sharedFolders={[]}
        cliPlugins={{
          folder,
          note: null,
          plugins: [
            { command: 'compose', status: 'installed', version: '2.26.1-4', path: `${folder}/docker-compose`, reason: null },
            {
              command: 'buildx',
              status: 'kept',
              version: '0.20.0',
              path: '/usr/libexec/docker/cli-plugins/docker-buildx',
              reason: null,
            },
          ],
        }}
      />,
    );
    expect(html).toContain('<h3 id="cli-plugins-heading">docker compose and docker buildx</h3>');
    expect(html).toContain('<ul aria-labelledby="cli-plugins-heading">');
    expect(html).toContain('<li>docker compose 2.26.1 installed for your docker CLI in ~/.docker/cli-plugins.</li>');
    expect(html).toContain('<li>Kept your own docker buildx 0.20.0 (/usr/libexec/docker/cli-plugins/docker-buildx).</li>');
    expect(html).toContain('<code>docker --context berth compose up -d</code>');
  });

  it('says when they come before the first start, and offers no command while nothing is installed', () => {
    const html = renderToStaticMarkup(
      <EngineAccess dockerHost={null} dockerContext="berth" sharedFolders={[]} cliPlugins={null} />,
    );
    expect(html).toContain('Berth installs them for your docker CLI when the VM starts, unless you have your own.');
    expect(html).not.toContain('compose up');
  });
});
