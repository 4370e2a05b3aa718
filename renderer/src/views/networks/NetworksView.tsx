import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { NetworkContainer, NetworkSummary } from '../../../../app/contract/network-contract';
import { useApi } from '../../api/api-context';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { DataTable } from '../../components/DataTable';
import { useEngineAction } from '../../components/use-engine-action';
import { networksQuery } from './network-queries';
import { QueryProblem } from '../../components/QueryProblem';
import { ConnectContainerDialog } from './ConnectContainerDialog';
import { CreateNetworkForm } from './CreateNetworkForm';
import { ViewHeader } from '../../components/ViewHeader';
import './networks.css';

/** host and none take no other containers and give none up; the engine refuses both. */
const acceptsContainers = (network: NetworkSummary) => network.driver !== 'host' && network.driver !== 'null';

function AttachedContainers({
  network,
  onDisconnect,
}: {
  network: NetworkSummary;
  onDisconnect: (container: NetworkContainer) => void;
}) {
  if (network.containers.length === 0) return <span className="muted">–</span>;
  return (
    <ul className="chips" aria-label={`Containers on ${network.name}`}>
      {network.containers.map((container) => (
        <li key={container.id} className="chip">
          <span className="mono" title={container.address ?? container.state}>
            {container.name}
          </span>
          {container.state !== 'running' ? <span className="muted">({container.state})</span> : null}
          {acceptsContainers(network) ? (
            <button
              type="button"
              onClick={() => onDisconnect(container)}
              aria-label={`Disconnect ${container.name} from ${network.name}`}
              title="Disconnect"
            >
              ×
            </button>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

export function NetworksView() {
  const api = useApi();
  const query = useQuery(networksQuery(api));
  const [removing, setRemoving] = useState<NetworkSummary | null>(null);
  const [connecting, setConnecting] = useState<NetworkSummary | null>(null);
  const remove = useEngineAction((id: string) => api.networks.remove({ id }));
  const queryClient = useQueryClient();
  // Network events refresh the list; a stopped container's connect or disconnect sends none, so refresh here too.
  const refresh = () => void queryClient.invalidateQueries({ queryKey: networksQuery(api).queryKey });
  const connect = useEngineAction((request: { network: string; container: string }) =>
    api.networks.connect(request).then(refresh),
  );
  const disconnect = useEngineAction((request: { network: string; container: string }) =>
    api.networks.disconnect(request).then(refresh),
  );
  const networks = query.data ?? [];

  return (
    <section className="view" aria-labelledby="networks-title">
      <ViewHeader titleId="networks-title" title="Networks" count={query.isSuccess ? `${networks.length}` : ''}>
        <CreateNetworkForm />
      </ViewHeader>
      <QueryProblem query={query} what="networks" />
      <div className="view-scroll">
        <DataTable
          label="Networks"
          rows={networks}
          rowKey={(network) => network.id}
          rowLabel={(network) => network.name}
          columns={[
            {
              header: 'Name',
              className: 'mono',
              cell: (network) => (
                <>
                  {network.name}
                  {network.builtIn ? <span className="muted"> (built-in)</span> : null}
                  {network.internal ? <span className="muted"> (internal)</span> : null}
                </>
              ),
            },
            { header: 'Driver', cell: (network) => network.driver },
            { header: 'Scope', cell: (network) => network.scope },
            { header: 'Subnet', className: 'mono', cell: (network) => network.subnets.join(', ') || '–' },
            {
              header: 'Containers',
              cell: (network) => (
                <AttachedContainers
                  network={network}
                  onDisconnect={(container) => disconnect.mutate({ network: network.id, container: container.id })}
                />
              ),
            },
            {
              header: 'Actions',
              cell: (network) => (
                <>
                  {acceptsContainers(network) ? (
                    <button
                      type="button"
                      onClick={() => setConnecting(network)}
                      aria-label={`Connect a container to ${network.name}`}
                    >
                      Connect…
                    </button>
                  ) : null}{' '}
                  {network.builtIn ? null : (
                    <button
                      type="button"
                      className="danger"
                      onClick={() => setRemoving(network)}
                      aria-label={`Remove ${network.name}`}
                    >
                      Remove
                    </button>
                  )}
                </>
              ),
            },
          ]}
        />
      </div>
      {connecting ? (
        <ConnectContainerDialog
          network={connecting}
          onClose={() => setConnecting(null)}
          onConnect={(container) => {
            connect.mutate({ network: connecting.id, container });
            setConnecting(null);
          }}
        />
      ) : null}
      {removing ? (
        <ConfirmDialog
          title={`Remove network ${removing.name}?`}
          confirmLabel="Remove"
          onCancel={() => setRemoving(null)}
          onConfirm={() => {
            remove.mutate(removing.id);
            setRemoving(null);
          }}
        >
          <p>Containers that name it in their settings will not start until it exists again.</p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}
