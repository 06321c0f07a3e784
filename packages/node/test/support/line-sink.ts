import { Writable } from 'node:stream';

/** A real destination stream for a logger that keeps what was written, one JSON record per line. */
export interface LineSink {
  readonly stream: Writable;
  /** Every line written so far, parsed as JSON. */
  records(): Record<string, unknown>[];
  /** The one record whose `msg` or `message` is `text`; fails when there is none or several. */
  find(text: string): Record<string, unknown>;
}

export function createLineSink(): LineSink {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      text += String(chunk);
      callback();
    },
  });
  const records = (): Record<string, unknown>[] =>
    text
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return {
    stream,
    records,
    find(wanted) {
      const found = records().filter((r) => r.msg === wanted || r.message === wanted);
      if (found.length !== 1)
        throw new Error(`expected one record "${wanted}", found ${found.length} in:\n${text}`);
      return found[0] as Record<string, unknown>;
    },
  };
}
