import { formatBytes } from '../../format';
import { imageTaskTitle, useImageTaskStore, type ImageTask } from './image-task-store';
import { cancelImageTask } from './image-tasks';

/** One line on where a task stands: a transfer's percent, a build's state, or how it ended. */
export function imageTaskStatus(task: ImageTask): string {
  if (task.phase === 'failed') return `Failed: ${task.error?.message ?? 'unknown error'}`;
  if (task.phase === 'cancelled') return 'Cancelled';
  if (task.phase === 'done') return task.kind === 'pull' ? 'Pulled' : task.kind === 'push' ? 'Pushed' : 'Built';
  if (task.kind === 'build') return 'Building…';
  const overall = task.progress?.overall;
  if (!overall) return 'Starting…';
  const bytes = overall.total > 0 ? ` (${formatBytes(overall.current)} of ${formatBytes(overall.total)})` : '';
  return `${Math.round(overall.fraction * 100)}%${bytes}`;
}

function TaskRow({ task, onShow }: { task: ImageTask; onShow: (task: ImageTask) => void }) {
  const dismiss = useImageTaskStore((state) => state.dismiss);
  const title = imageTaskTitle(task);
  return (
    <li className={`image-task ${task.phase}`} aria-label={title}>
      <span className="image-task-title">{title}</span>
      {/* A status even when failed: the dialog that started it says the failure as an alert already. */}
      <span role="status">{imageTaskStatus(task)}</span>
      <button type="button" onClick={() => onShow(task)} aria-label={`Show ${title}`}>
        Show
      </button>
      {task.phase === 'running' ? (
        <button type="button" onClick={() => cancelImageTask(task.id)} aria-label={`Cancel ${title}`}>
          Cancel
        </button>
      ) : (
        <button type="button" onClick={() => dismiss(task.id)} aria-label={`Dismiss ${title}`}>
          Dismiss
        </button>
      )}
    </li>
  );
}

/** Pulls, pushes and builds running or just ended, above the image list; Show reopens one's dialog. */
export function ImageTasksPanel({ onShow }: { onShow: (task: ImageTask) => void }) {
  const tasks = useImageTaskStore((state) => state.tasks);
  if (tasks.length === 0) return null;
  return (
    <ul className="image-tasks" aria-label="Transfers">
      {tasks.map((task) => (
        <TaskRow key={task.id} task={task} onShow={onShow} />
      ))}
    </ul>
  );
}
