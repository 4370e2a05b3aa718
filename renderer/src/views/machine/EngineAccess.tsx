import type { CliPlugins } from '../../../../app/contract/machine-contract';
import { cliPluginLines } from './cli-plugin-lines';
import { CopyButton } from './CopyButton';

interface EngineAccessProps {
  dockerHost: string | null;
  dockerContext: string | null;
  cliPlugins: CliPlugins | null;
  sharedFolders: string[];
}

/** How the person's own tools reach Berth's engine, and which of their folders a bind mount can use. */
export function EngineAccess({ dockerHost, dockerContext, cliPlugins, sharedFolders }: EngineAccessProps) {
  const pluginLines = cliPluginLines(cliPlugins);
  return (
    <section aria-labelledby="engine-access-heading">
      <h2 id="engine-access-heading">Use it from your tools</h2>
      {dockerContext ? (
        <p>
          Docker CLI: <code>docker --context {dockerContext} ps</code> (or <code>docker context use {dockerContext}</code>)
        </p>
      ) : null}
      {dockerHost ? (
        <p>
          Other tools: <code aria-label="DOCKER_HOST line">export DOCKER_HOST={dockerHost}</code>{' '}
          <CopyButton text={`export DOCKER_HOST=${dockerHost}`} label="Copy DOCKER_HOST" />
        </p>
      ) : (
        <p className="muted">The DOCKER_HOST line appears while the VM runs.</p>
      )}
      <h3 id="cli-plugins-heading">docker compose and docker buildx</h3>
      {pluginLines.length > 0 ? (
        <ul aria-labelledby="cli-plugins-heading">
          {pluginLines.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      ) : (
        <p className="muted">Berth installs them for your docker CLI when the VM starts, unless you have your own.</p>
      )}
      {dockerContext && cliPlugins?.plugins.some((plugin) => plugin.status !== 'failed') ? (
        <p>
          For example: <code>docker --context {dockerContext} compose up -d</code>,{' '}
          <code>docker --context {dockerContext} buildx build .</code>
        </p>
      ) : null}
      <h3 id="shared-folders-heading">Shared folders</h3>
      <p className="muted">Bind mounts (docker run -v PATH:…) work for paths inside these folders.</p>
      {sharedFolders.length > 0 ? (
        <ul aria-labelledby="shared-folders-heading">
          {sharedFolders.map((folder) => (
            <li key={folder}>
              <code>{folder}</code>
            </li>
          ))}
        </ul>
      ) : (
        <p>No folders are shared.</p>
      )}
    </section>
  );
}
