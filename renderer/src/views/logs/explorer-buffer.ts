/**
 * The lines the logs explorer holds: appended as the merged stream delivers them, the oldest dropped
 * past a bound. Column-wise in chunks like the single log's LogBuffer (no object per line).
 */
import type { MergedBatch } from '../../../../app/contract/logs-contract';
import type { LogLine } from '../containers/log-buffer';
import { chunkStarts, locateLine } from '../containers/chunk-index';

const CHUNK_LINES = 16_384;

export interface ExplorerLine extends LogLine {
  source: number;
}

export class ExplorerBuffer {
  private chunks: MergedBatch[] = [];
  private starts: number[] = [];
  private total = 0;
  /** Bumped on every change, for React to notice. */
  version = 0;
  /** Lines ever dropped from the front: an incremental search shifts its results by the difference. */
  droppedTotal = 0;

  get length(): number {
    return this.total;
  }

  append(batch: MergedBatch): void {
    if (batch.texts.length === 0) return;
    const last = this.chunks.at(-1);
    if (last && last.texts.length < CHUNK_LINES) {
      last.streams += batch.streams;
      for (let index = 0; index < batch.texts.length; index += 1) {
        last.sources.push(batch.sources[index]!);
        last.times.push(batch.times[index]!);
        last.texts.push(batch.texts[index]!);
      }
    } else {
      this.starts.push(this.total);
      this.chunks.push({ sources: [...batch.sources], streams: batch.streams, times: [...batch.times], texts: [...batch.texts] });
    }
    this.total += batch.texts.length;
    this.version += 1;
  }

  /** Drops the oldest whole chunks (never the newest) while more than `max` lines are held; returns how many went. */
  trimOldest(max: number): number {
    let dropped = 0;
    while (this.chunks.length > 1 && this.total - dropped > max) dropped += this.chunks.shift()!.texts.length;
    if (dropped === 0) return 0;
    this.total -= dropped;
    this.droppedTotal += dropped;
    this.starts = chunkStarts(this.chunks);
    this.version += 1;
    return dropped;
  }

  private locate(index: number): [MergedBatch, number] {
    const [chunk, offset] = locateLine(this.starts, index);
    return [this.chunks[chunk]!, offset];
  }

  line(index: number): ExplorerLine {
    const [chunk, offset] = this.locate(index);
    return {
      source: chunk.sources[offset]!,
      stream: chunk.streams[offset] === 'e' ? 'stderr' : 'stdout',
      time: chunk.times[offset]!,
      text: chunk.texts[offset]!,
    };
  }

  /** Indices of the lines in [from, end) whose text the pattern matches, at most `limit`. */
  search(regex: RegExp, from = 0, limit = 100_000): number[] {
    const found: number[] = [];
    for (let chunkIndex = 0; chunkIndex < this.chunks.length && found.length < limit; chunkIndex += 1) {
      const start = this.starts[chunkIndex]!;
      const texts = this.chunks[chunkIndex]!.texts;
      if (start + texts.length <= from) continue;
      for (let offset = Math.max(0, from - start); offset < texts.length && found.length < limit; offset += 1) {
        if (regex.test(texts[offset]!)) found.push(start + offset);
      }
    }
    return found;
  }
}

/** Search results kept up to date as lines arrive (new lines searched alone) and as old ones go. */
export class ExplorerSearch {
  private buffer: ExplorerBuffer | null = null;
  private regex: RegExp | null = null;
  private matches: number[] = [];
  private scannedTo = 0;
  private dropped = 0;

  update(buffer: ExplorerBuffer, regex: RegExp | null): number[] {
    if (regex === null) {
      this.regex = null;
      this.matches = [];
      return this.matches;
    }
    if (regex !== this.regex || buffer !== this.buffer) {
      // A new pattern, or a new buffer (another scope): search everything.
      this.buffer = buffer;
      this.regex = regex;
      this.dropped = buffer.droppedTotal;
      this.matches = buffer.search(regex);
      this.scannedTo = buffer.length;
      return this.matches;
    }
    const gone = buffer.droppedTotal - this.dropped;
    if (gone === 0 && this.scannedTo === buffer.length) return this.matches;
    const kept = gone > 0 ? this.matches.filter((index) => index >= gone).map((index) => index - gone) : this.matches;
    const from = this.scannedTo - gone;
    this.matches = [...kept, ...buffer.search(regex, from)];
    this.dropped = buffer.droppedTotal;
    this.scannedTo = buffer.length;
    return this.matches;
  }
}
