import { memo } from 'react';
import type { StatsSample } from '../../../../app/contract/container-contract';
import type { ContainerSummary } from '../../../../engine/core/engine-types';
import { formatAge, formatBytes } from '../../format';
import { formatPercent } from './stats-history';
import { useMachineStatus } from '../machine/machine-status';

export interface ContainerRowActions {
  start(container: ContainerSummary): void;
  stop(container: ContainerSummary): void;
  restart(container: ContainerSummary): void;
  remove(container: ContainerSummary): void;
  openTerminal(container: ContainerSummary): void;
  toggleSelected(container: ContainerSummary): void;
  openDetail(container: ContainerSummary): void;
}

interface ContainerRowProps {
  container: ContainerSummary;
  rowIndex: number;
  top: number;
  busy: boolean;
  actions: ContainerRowActions;
  selected: boolean;
  /** The latest reading, for a running container in view. */
  stats: StatsSample | undefined;
  /** Shown indented under its compose project's row. */
  inProject: boolean;
}

/** Why a published port cannot be reached from this computer (Berth's VM forwards them; a taken port cannot be). */
function PortProblems({ containerId }: { containerId: string }) {
  const problems = useMachineStatus()?.vm?.portProblems[containerId];
  if (!problems || problems.length === 0) return null;
  const text = problems.join(' ');
  return (
    <span role="note" className="port-problem" aria-label={text} title={text}>
      ⚠
    </span>
  );
}

function Ports({ container }: { container: ContainerSummary }) {
  const published = container.ports.filter((port) => port.hostPort !== null);
  if (published.length === 0) return <span className="muted">–</span>;
  return (
    <>
      <PortProblems containerId={container.id} />
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

export const ContainerRow = memo(function ContainerRow(props: ContainerRowProps) {
  const { container, rowIndex, top, busy, actions, selected, stats, inProject } = props;
  const running = container.state === 'running';
  const name = container.name;
  return (
    <div
      role="row"
      aria-rowindex={rowIndex}
      aria-label={name}
      aria-selected={selected}
      className={inProject ? 'row in-project' : 'row'}
      data-state={container.state}
      style={{ transform: `translateY(${top}px)` }}
    >
      <span role="cell" className="cell name" title={`${name} (${container.id.slice(0, 12)})`}>
        <input
          type="checkbox"
          checked={selected}
          onChange={() => actions.toggleSelected(container)}
          aria-label={`Select ${name}`}
        />
        <button
          type="button"
          className="ctr-link-button"
          onClick={() => actions.openDetail(container)}
          aria-label={`Show details of ${name}`}
        >
          {name}
        </button>
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
      <span role="cell" className="cell cpu">
        {stats && running ? formatPercent(stats.cpuPercent) : ''}
      </span>
      <span
        role="cell"
        className="cell memory"
        title={stats && running ? `${formatBytes(stats.memoryUsage)} of ${formatBytes(stats.memoryLimit)}` : undefined}
      >
        {stats && running ? formatBytes(stats.memoryUsage) : ''}
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
