import { Writable } from 'node:stream';

/** A real Writable that keeps everything written to it, with a terminal width like a TTY's `columns`. */
export class CaptureStream extends Writable {
  readonly chunks: string[] = [];
  readonly columns: number;

  constructor(columns = 120) {
    super({
      decodeStrings: false,
      write: (chunk: string | Buffer, _encoding, callback) => {
        this.chunks.push(String(chunk));
        callback();
      },
    });
    this.columns = columns;
  }

  get text(): string {
    return this.chunks.join('');
  }
}

/** A hand-advanced millisecond clock for the progress view. */
export function manualClock(start = 0): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => (t += ms) };
}
