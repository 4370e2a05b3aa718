/**
 * Volume exports, imports and clones in progress (and their outcome), for the Volumes view's transfer
 * list. They live here, not in a dialog, so closing a dialog or leaving the view does not lose one; each
 * entry carries its own cancel. UI state only: the volumes themselves come from react-query.
 */
import { create } from 'zustand';

export type TransferKind = 'export' | 'import' | 'clone';
export type TransferPhase = 'running' | 'done' | 'failed' | 'cancelled';

export interface VolumeTransfer {
  id: number;
  kind: TransferKind;
  /** What a person reads: "Exporting data", "Importing backup.tar into restored", "Cloning data into copy". */
  title: string;
  bytes: number;
  /** Known for an import (the file's size); null for an export or clone (a tar's size is known at its end). */
  total: number | null;
  phase: TransferPhase;
  message: string | null;
  cancel: () => void;
}

interface TransferState {
  transfers: VolumeTransfer[];
  add: (transfer: Omit<VolumeTransfer, 'id' | 'bytes' | 'phase' | 'message'>) => number;
  progress: (id: number, bytes: number) => void;
  settle: (id: number, phase: Exclude<TransferPhase, 'running'>, message: string) => void;
  dismiss: (id: number) => void;
}

let nextTransferId = 1;

export const useVolumeTransferStore = create<TransferState>((set) => ({
  transfers: [],
  add: (transfer) => {
    const id = nextTransferId++;
    // Finished ones beyond the last few are dropped; running ones always stay.
    set((state) => {
      const finished = state.transfers.filter((entry) => entry.phase !== 'running');
      const keep = new Set(finished.slice(-4).map((entry) => entry.id));
      return {
        transfers: [
          ...state.transfers.filter((entry) => entry.phase === 'running' || keep.has(entry.id)),
          { ...transfer, id, bytes: 0, phase: 'running', message: null },
        ],
      };
    });
    return id;
  },
  progress: (id, bytes) =>
    set((state) => ({
      transfers: state.transfers.map((entry) => (entry.id === id && entry.phase === 'running' ? { ...entry, bytes } : entry)),
    })),
  settle: (id, phase, message) =>
    set((state) => ({
      transfers: state.transfers.map((entry) =>
        entry.id === id && entry.phase === 'running' ? { ...entry, phase, message } : entry,
      ),
    })),
  dismiss: (id) => set((state) => ({ transfers: state.transfers.filter((entry) => entry.id !== id) })),
}));
