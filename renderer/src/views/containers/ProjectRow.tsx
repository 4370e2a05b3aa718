import { memo, useState } from 'react';
import type { ContainerSummary } from '../../../../engine/core/engine-types';
import { useApi } from '../../api/api-context';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { useEngineAction } from '../../components/use-engine-action';
import { useNoticeStore } from '../../components/notice-store';
import { describeFailures } from './BulkActionsBar';
import { projectSummary } from './container-list-rows';
import { useContainerUi } from './container-ui-store';

type ProjectAction = 'start' | 'stop' | 'restart' | 'remove';

interface ProjectRowProps {
  project: string;
  containers: ContainerSummary[];
  collapsed: boolean;
  rowIndex: number;
  top: number;
}

/** A compose project's row: collapse or expand its containers; start, stop, restart or remove them all. */
export const ProjectRow = memo(function ProjectRow({ project, containers, collapsed, rowIndex, top }: ProjectRowProps) {
  const api = useApi();
  const notify = useNoticeStore((state) => state.notify);
  const toggleProject = useContainerUi((state) => state.toggleProject);
  const [confirming, setConfirming] = useState(false);
  const act = useEngineAction(async (action: ProjectAction) => {
    const { failures } = await api.containers.project({ project, action });
    if (failures.length > 0) notify('error', describeFailures(`${action} project ${project}`, failures));
  });
  // Down and Restart go through compose (with the project's file while it exists), unlike the
  // per-container actions above: Down also removes the project's network.
  const compose = useEngineAction(async (action: 'down' | 'restart') => {
    const method = await api.compose[action]({ project });
    if (method === 'removed') {
      notify(
        'info',
        `The compose file of ${project} is gone: its containers were ${action === 'down' ? 'removed' : 'restarted'} one by one.`,
      );
    }
  });
  const busy = act.isPending || compose.isPending;
  const label = `Compose project ${project}`;
  return (
    <div
      role="row"
      aria-rowindex={rowIndex}
      aria-label={label}
      className="row project-row"
      style={{ transform: `translateY(${top}px)` }}
    >
      <span role="cell" className="cell project-name">
        <button
          type="button"
          className="disclosure"
          aria-expanded={!collapsed}
          aria-label={`${collapsed ? 'Expand' : 'Collapse'} ${project}`}
          onClick={() => toggleProject(project)}
        >
          {collapsed ? '▸' : '▾'}
        </button>
        <strong>{project}</strong>
        <span className="muted">
          compose · {containers.length} container{containers.length === 1 ? '' : 's'}, {projectSummary(containers)}
        </span>
      </span>
      <span role="cell" className="cell actions project-actions">
        {(['start', 'stop'] as const).map((action) => (
          <button
            key={action}
            type="button"
            disabled={busy}
            onClick={() => act.mutate(action)}
            aria-label={`${action[0]!.toUpperCase()}${action.slice(1)} project ${project}`}
          >
            {action[0]!.toUpperCase() + action.slice(1)}
          </button>
        ))}
        <button type="button" disabled={busy} onClick={() => compose.mutate('restart')} aria-label={`Restart project ${project}`}>
          Restart
        </button>
        <button type="button" disabled={busy} onClick={() => compose.mutate('down')} aria-label={`Down project ${project}`}>
          Down
        </button>
        <button
          type="button"
          className="danger"
          disabled={busy}
          onClick={() => setConfirming(true)}
          aria-label={`Remove project ${project}`}
        >
          Remove
        </button>
      </span>
      {confirming ? (
        <ConfirmDialog
          title={`Remove compose project ${project}?`}
          confirmLabel="Remove"
          onCancel={() => setConfirming(false)}
          onConfirm={() => {
            setConfirming(false);
            act.mutate('remove');
          }}
        >
          <p>
            Its {containers.length} container{containers.length === 1 ? ' is' : 's are'} stopped and removed. Named volumes and
            networks are kept.
          </p>
        </ConfirmDialog>
      ) : null}
    </div>
  );
});
