// A one-line progress bar: redrawn in place on a terminal, a plain line every few seconds otherwise.

/**
 * @param {NodeJS.WriteStream | NodeJS.WritableStream} stream
 * @param {number} totalMs
 */
export function createProgressBar(stream, totalMs) {
  const tty = /** @type {NodeJS.WriteStream} */ (stream).isTTY === true;
  let lastPlainLine = -Infinity;
  let finished = false;
  return {
    /** @param {number} elapsedMs @param {{ requests: number, errors: number, failures: number }} stats */
    update(elapsedMs, stats) {
      const fraction = Math.min(1, elapsedMs / totalMs);
      const text = `${(elapsedMs / 1000).toFixed(0).padStart(3)}s/${(totalMs / 1000).toFixed(0)}s  ${stats.requests} requests  ${stats.errors + stats.failures} errors`;
      if (tty) {
        const width = 30;
        const filled = Math.round(fraction * width);
        stream.write(`\r  [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${text}\u001b[K`);
      } else if (!finished && (elapsedMs - lastPlainLine >= 5000 || fraction === 1)) {
        finished = fraction === 1;
        lastPlainLine = elapsedMs;
        stream.write(`  load ${Math.round(fraction * 100)}%  ${text}\n`);
      }
    },
    done() {
      if (tty) stream.write('\n');
    },
  };
}
