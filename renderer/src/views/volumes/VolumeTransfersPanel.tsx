import { formatBytes } from '../../format';
import { useVolumeTransferStore, type VolumeTransfer } from './volume-transfer-store';

/** Determinate when the total is known (an import: the file's size); else it says the bytes so far. */
function TransferBar({ transfer }: { transfer: VolumeTransfer }) {
  const known = transfer.total !== null && transfer.total > 0;
  const percent = known ? Math.min(100, Math.round((transfer.bytes / transfer.total!) * 100)) : null;
  const text = known
    ? `${percent}% (${formatBytes(transfer.bytes)} of ${formatBytes(transfer.total!)})`
    : `${formatBytes(transfer.bytes)} so far`;
  return (
    <div
      className={known ? 'progress' : 'progress indeterminate'}
      role="progressbar"
      aria-label={transfer.title}
      aria-valuemin={known ? 0 : undefined}
      aria-valuemax={known ? 100 : undefined}
      aria-valuenow={percent ?? undefined}
      aria-valuetext={text}
    >
      <div className="progress-fill" style={{ width: known ? `${percent}%` : '100%' }} />
    </div>
  );
}

function TransferRow({ transfer }: { transfer: VolumeTransfer }) {
  const dismiss = useVolumeTransferStore((state) => state.dismiss);
  const running = transfer.phase === 'running';
  const bytes =
    transfer.total !== null ? `${formatBytes(transfer.bytes)} of ${formatBytes(transfer.total)}` : formatBytes(transfer.bytes);
  return (
    <li className={`volume-transfer ${transfer.phase}`} aria-label={transfer.title}>
      <span className="volume-transfer-title">{transfer.title}</span>
      {running ? (
        <>
          <TransferBar transfer={transfer} />
          <span className="mono">{bytes}</span>
          <button type="button" onClick={transfer.cancel} aria-label={`Cancel ${transfer.title}`}>
            Cancel
          </button>
        </>
      ) : (
        <>
          <span role={transfer.phase === 'failed' ? 'alert' : 'status'}>{transfer.message}</span>
          <button type="button" onClick={() => dismiss(transfer.id)} aria-label={`Dismiss ${transfer.title}`}>
            Dismiss
          </button>
        </>
      )}
    </li>
  );
}

/** Exports, imports and clones in progress and just finished, above the volume list. */
export function VolumeTransfersPanel() {
  const transfers = useVolumeTransferStore((state) => state.transfers);
  if (transfers.length === 0) return null;
  return (
    <ul className="volume-transfers" aria-label="Volume transfers">
      {transfers.map((transfer) => (
        <TransferRow key={transfer.id} transfer={transfer} />
      ))}
    </ul>
  );
}
