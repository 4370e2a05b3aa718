import { describe, expect, it } from 'vitest';
import {
  countLeadingAt,
  countTrailingAt,
  formatEngineTime,
  LogParser,
  parseLogTime,
  secondsToNanos,
  stripTerminalEscapes,
} from './log-parser.js';

const T1 = '2026-11-23T23:55:12.298653025Z';
const T2 = '2026-11-23T23:55:12.298654317Z';

function frame(stream: 1 | 2, text: string): Buffer {
  const payload = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

const multiplexed = () => new LogParser({ tty: false, stripEscapes: true });

describe('LogParser (multiplexed, no TTY)', () => {
  it('tells stdout from stderr and takes each line’s time', () => {
    const batch = multiplexed().push(Buffer.concat([frame(1, `${T1} hello\n`), frame(2, `${T2} oops\n`)]));
    expect(batch).toEqual({ streams: 'oe', times: [T1, T2], texts: ['hello', 'oops'] });
  });

  it('reassembles frames split across chunks, even inside the header', () => {
    const bytes = Buffer.concat([frame(1, `${T1} first\n`), frame(2, `${T2} second\n`)]);
    const all = multiplexed();
    const pieces = [bytes.subarray(0, 3), bytes.subarray(3, 10), bytes.subarray(10, 40), bytes.subarray(40)];
    expect(pieces.flatMap((piece) => all.push(piece).texts)).toEqual(['first', 'second']);
  });

  it('joins a long line the logger split into partial messages, keeping the first time', () => {
    const parser = multiplexed();
    const first = parser.push(frame(1, `${T1} abc`));
    expect(first.texts).toEqual([]);
    expect(parser.push(frame(1, `${T2} def\n`))).toEqual({ streams: 'o', times: [T1], texts: ['abcdef'] });
  });

  it('keeps a UTF-8 character split between two frames whole', () => {
    const euro = Buffer.from('€');
    const parser = multiplexed();
    const part1 = Buffer.concat([Buffer.from(`${T1} price `), euro.subarray(0, 1)]);
    const header1 = Buffer.alloc(8);
    header1[0] = 1;
    header1.writeUInt32BE(part1.length, 4);
    const part2 = Buffer.concat([euro.subarray(1), Buffer.from('5\n')]);
    const header2 = Buffer.alloc(8);
    header2[0] = 1;
    header2.writeUInt32BE(part2.length, 4);
    parser.push(Buffer.concat([header1, part1]));
    expect(parser.push(Buffer.concat([header2, part2])).texts).toEqual(['price €5']);
  });

  it('gives out a last line without a newline at the end', () => {
    const parser = multiplexed();
    expect(parser.push(frame(2, `${T1} no newline`)).texts).toEqual([]);
    expect(parser.end()).toEqual({ streams: 'e', times: [T1], texts: ['no newline'] });
  });

  it('removes colour codes when asked, keeps them when not', () => {
    const coloured = frame(1, `${T1} \x1b[31mred\x1b[0m\n`);
    expect(multiplexed().push(coloured).texts).toEqual(['red']);
    expect(new LogParser({ tty: false, stripEscapes: false }).push(coloured).texts).toEqual(['\x1b[31mred\x1b[0m']);
  });
});

describe('LogParser (TTY)', () => {
  it('reads raw text with CRLF line ends, all as stdout', () => {
    const parser = new LogParser({ tty: true, stripEscapes: true });
    const first = parser.push(Buffer.from(`${T1} one\r\n${T2} tw`));
    expect(first).toEqual({ streams: 'o', times: [T1], texts: ['one'] });
    expect(parser.push(Buffer.from('o\r\n'))).toEqual({ streams: 'o', times: [T2], texts: ['two'] });
    expect(parser.end().texts).toEqual([]);
  });
});

describe('engine times', () => {
  it('parse to nanoseconds and format as the engine’s since/until value', () => {
    const nanos = parseLogTime(T1);
    expect(nanos).toBe(BigInt(Date.parse('2026-11-23T23:55:12Z') / 1000) * 1_000_000_000n + 298_653_025n);
    expect(formatEngineTime(nanos)).toBe(`${Date.parse('2026-11-23T23:55:12Z') / 1000}.298653025`);
    expect(parseLogTime('2026-11-23T23:55:12Z') % 1_000_000_000n).toBe(0n);
    expect(parseLogTime('2026-11-23T23:55:12.5+01:00')).toBe(parseLogTime('2026-11-23T22:55:12.500000000Z'));
    expect(formatEngineTime(-5n)).toBe('0.000000000');
    expect(secondsToNanos(1.5)).toBe(1_500_000_000n);
    expect(() => parseLogTime('yesterday')).toThrow(/Not an engine time/);
  });

  it('count lines sharing a time at either end of a batch', () => {
    const batch = { streams: 'ooo', times: [T1, T1, T2], texts: ['a', 'b', 'c'] };
    expect(countLeadingAt(batch, T1)).toBe(2);
    expect(countTrailingAt(batch, T2)).toBe(1);
    expect(countTrailingAt(batch, T1)).toBe(0);
  });
});

describe('stripTerminalEscapes', () => {
  it('removes CSI and OSC sequences and leaves plain text alone', () => {
    expect(stripTerminalEscapes('\x1b[1;32mok\x1b[0m \x1b]0;title\x07done')).toBe('ok done');
    expect(stripTerminalEscapes('plain')).toBe('plain');
  });
});
