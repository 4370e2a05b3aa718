/**
 * How the VM's last start went as far as its boot snapshot goes (vm/snapshot/): restored from it, booted
 * cold and saved one, or booted cold, and what did not go as planned (a snapshot deleted, and why).
 */
import type { MachineStatus } from '../../../../app/contract/machine-contract';

type BootSnapshot = NonNullable<NonNullable<MachineStatus['vm']>['bootSnapshot']>;

function mebibytes(bytes: number): string {
  return `${Math.round(bytes / 1_048_576)} MiB`;
}

export function lastStartText(snapshot: BootSnapshot): string {
  const took = snapshot.stateMs === null ? '' : `, ${(snapshot.stateMs / 1000).toFixed(1)} s`;
  switch (snapshot.start) {
    case 'restored':
      return `restored from its boot snapshot (${mebibytes(snapshot.storedBytes)} loaded${took})`;
    case 'saved':
      return `booted cold and saved a boot snapshot for the next start (${mebibytes(snapshot.storedBytes)}${took})`;
    case 'cold':
      return 'booted cold';
  }
}

export function LastStart({ snapshot }: { snapshot: BootSnapshot | null }) {
  if (!snapshot) return null;
  return (
    <>
      <p>
        Last start: <span aria-label="Last start">{lastStartText(snapshot)}</span>
      </p>
      {snapshot.note ? (
        <p className="muted" role="note" aria-label="Boot snapshot">
          {snapshot.note}
        </p>
      ) : null}
    </>
  );
}
