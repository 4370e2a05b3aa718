import { useState } from 'react';
import type { ContainerSummary } from '../../../../engine/core/engine-types';
import { ConfirmDialog } from '../../components/ConfirmDialog';

/**
 * The confirmation before removing a container, from its row or the command palette. A running one
 * offers Force (stop it first), checked; the caller removes it.
 */
export function RemoveContainerDialog({
  container,
  onConfirm,
  onCancel,
}: {
  container: ContainerSummary;
  onConfirm: (force: boolean) => void;
  onCancel: () => void;
}) {
  const [force, setForce] = useState(container.state === 'running');
  return (
    <ConfirmDialog
      title={`Remove container ${container.name}?`}
      confirmLabel="Remove"
      onCancel={onCancel}
      onConfirm={() => onConfirm(force)}
    >
      <p>Its writable layer is deleted. Named volumes are kept.</p>
      {container.state === 'running' ? (
        <label className="checkbox">
          <input type="checkbox" checked={force} onChange={(event) => setForce(event.target.checked)} />
          Force: stop the running container, then remove it
        </label>
      ) : null}
    </ConfirmDialog>
  );
}
