import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { NetworkSummary } from '../../../../app/contract/network-contract';
import { useApi } from '../../api/api-context';
import { DialogFooter, ModalDialog } from '../../components/ModalDialog';
import { containersQuery } from '../containers/container-queries';
import './networks.css';

interface ConnectContainerDialogProps {
  network: NetworkSummary;
  onConnect: (containerId: string) => void;
  onClose: () => void;
}

/** Picks a container (running or not) that is not on the network yet. */
export function ConnectContainerDialog({ network, onConnect, onClose }: ConnectContainerDialogProps) {
  const api = useApi();
  const containers = useQuery(containersQuery(api));
  const attached = new Set(network.containers.map((container) => container.id));
  const candidates = (containers.data ?? [])
    .filter((container) => !attached.has(container.id))
    .sort((a, b) => a.name.localeCompare(b.name));
  const [chosen, setChosen] = useState('');
  const selectId = useId();
  const selected = chosen || candidates[0]?.id || '';

  return (
    <ModalDialog title={`Connect a container to ${network.name}`} onClose={onClose}>
      <form
        className="form-grid"
        onSubmit={(event) => {
          event.preventDefault();
          if (selected) onConnect(selected);
        }}
      >
        <label htmlFor={selectId}>Container</label>
        <select
          id={selectId}
          value={selected}
          onChange={(event) => setChosen(event.target.value)}
          disabled={candidates.length === 0}
        >
          {candidates.map((container) => (
            <option key={container.id} value={container.id}>
              {container.name} ({container.state})
            </option>
          ))}
        </select>
        {containers.isSuccess && candidates.length === 0 ? (
          <p className="muted">Every container is on this network already.</p>
        ) : null}
        <DialogFooter onDismiss={onClose} submit={{ label: 'Connect', disabled: !selected }} />
      </form>
    </ModalDialog>
  );
}
