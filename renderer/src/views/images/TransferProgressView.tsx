import type { TransferProgressItem } from '../../../../app/contract/image-contract';
import { formatBytes } from '../../format';

function ProgressBar({ label, fraction, text }: { label: string; fraction: number; text: string }) {
  const percent = Math.round(fraction * 100);
  return (
    <div
      className="progress"
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent}
      aria-valuetext={text}
    >
      <div className="progress-fill" style={{ width: `${percent}%` }} />
    </div>
  );
}

function layerText(layer: TransferProgressItem['layers'][number]): string {
  if (layer.current !== null && layer.total !== null && layer.total > 0 && !layer.done) {
    return `${layer.status} ${formatBytes(layer.current)} of ${formatBytes(layer.total)}`;
  }
  return layer.status;
}

/** A pull's or push's progress: one overall bar, then a bar per layer with the engine's status and bytes. */
export function TransferProgressView({ progress, verb }: { progress: TransferProgressItem; verb: 'Pulling' | 'Pushing' }) {
  const { overall } = progress;
  const percent = Math.round(overall.fraction * 100);
  const bytes = overall.total > 0 ? ` (${formatBytes(overall.current)} of ${formatBytes(overall.total)})` : '';
  const overallText = progress.done ? 'Complete' : `${percent}%${bytes}`;
  return (
    <div className="transfer">
      <p className="transfer-title">
        {progress.done ? (verb === 'Pulling' ? 'Pulled' : 'Pushed') : verb} <span className="mono">{progress.reference}</span>:{' '}
        {overallText}
      </p>
      <ProgressBar label="Overall progress" fraction={overall.fraction} text={overallText} />
      {progress.layers.length > 0 ? (
        <ul className="layers" aria-label="Layers">
          {progress.layers.map((layer) => (
            <li key={layer.id} className="layer" aria-label={`Layer ${layer.id}`}>
              <span className="mono">{layer.id}</span>
              <span className="layer-status">{layerText(layer)}</span>
              <ProgressBar label={`Layer ${layer.id}`} fraction={layer.fraction} text={layerText(layer)} />
            </li>
          ))}
        </ul>
      ) : null}
      {progress.message ? <p className="muted transfer-message">{progress.message}</p> : null}
    </div>
  );
}
