import { memo } from 'react';
import type { ContainerSummary } from '../../../engine/types';
import { formatAge } from '../format';

export interface ContainerRowActions {
  start(container: ContainerSummary): void;
  stop(container: ContainerSummary): void;
  restart(container: ContainerSummary): void;
  remove(container: ContainerSummary): void;
  openTerminal(container: ContainerSummary): void;
}

interface ContainerRowProps {
  container: ContainerSummary;
  rowIndex: number;
  top: number;
  busy: boolean;
  actions: ContainerRowActions;
}

function Ports({ container }: { container: ContainerSummary }) {
  const published = container.ports.filter((port) => port.hostPort !== null);
  if (published.length === 0) return <span className="muted">–</span>;
  return (
    <>
      {published.map((port) =>
        port.protocol === 'tcp' ? (
          <a
            key={`${port.hostPort}/${port.containerPort}`}
            href={`http://localhost:${port.hostPort}`}
            target="_blank"
            rel="noopener noreferrer"
            aria-label={`Open http://localhost:${port.hostPort} (container port ${port.containerPort})`}
          >
            {port.hostPort}:{port.containerPort}
          </a>
        ) : (
          <span key={`${port.hostPort}/${port.containerPort}/${port.protocol}`}>
            {port.hostPort}:{port.containerPort}/{port.protocol}
          </span>
        ),
      )}
    </>
  );
}

export const ContainerRow = memo(function ContainerRow({ container, rowIndex, top, busy, actions }: ContainerRowProps) {
  const running = container.state === 'running';
  const name = container.name;
  return (
    <div
      role="row"
      aria-rowindex={rowIndex}
      aria-label={name}
      className="row"
      data-state={container.state}
      style={{ transform: `translateY(${top}px)` }}
    >
      <span role="cell" className="cell name" title={`${name} (${container.id.slice(0, 12)})`}>
        {name}
      </span>
      <span role="cell" className="cell image" title={container.image}>
        {container.image}
      </span>
      <span role="cell" className="cell state">
        <span className="badge" data-state={container.state}>
          {container.state}
        </span>
      </span>
      <span role="cell" className="cell status" title={container.status}>
        {container.status}
      </span>
      <span role="cell" className="cell ports">
        <Ports container={container} />
      </span>
      <span role="cell" className="cell created">
        {formatAge(container.created)}
      </span>
      <span role="cell" className="cell actions">
        {running ? (
          <button type="button" disabled={busy} onClick={() => actions.stop(container)} aria-label={`Stop ${name}`}>
            Stop
          </button>
        ) : (
          <button type="button" disabled={busy} onClick={() => actions.start(container)} aria-label={`Start ${name}`}>
            Start
          </button>
        )}
        <button type="button" disabled={busy} onClick={() => actions.restart(container)} aria-label={`Restart ${name}`}>
          Restart
        </button>
        <button
          type="button"
          disabled={!running}
          onClick={() => actions.openTerminal(container)}
          aria-label={`Open terminal in ${name}`}
        >
          Terminal
        </button>
        <button
          type="button"
          className="danger"
          disabled={busy}
          onClick={() => actions.remove(container)}
          aria-label={`Remove ${name}`}
        >
          Remove
        </button>
      </span>
    </div>
  );
});
