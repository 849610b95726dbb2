/** Lines gathered for one write. */
export interface LineWriter {
  /** Adds one line (without its newline); it is written with the others of this turn of the event loop. */
  line(text: string): void;
  /** Writes what is gathered now (before exiting). */
  flush(): void;
}

/**
 * The request log's writer: the lines of one turn of the event loop (a
 * burst of requests answered together) are joined and written at once,
 * after the turn's I/O, instead of one synchronous write each (standard
 * output to a file, a pipe or journald's socket blocks the thread for
 * every write). Still one line per request; a crash loses at most the
 * lines of the turn it happened in.
 *
 * @param write Where the joined lines go (e.g. `process.stdout.write`).
 */
export function lineWriter(write: (text: string) => void): LineWriter {
  let pending: string[] = [];
  const flush = () => {
    if (pending.length === 0) return;
    const text = `${pending.join('\n')}\n`;
    pending = [];
    write(text);
  };
  return {
    line(text) {
      if (pending.length === 0) setImmediate(flush);
      pending.push(text);
    },
    flush,
  };
}
