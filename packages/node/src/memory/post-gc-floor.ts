/**
 * The heap floor: the lowest heap use seen right after a major GC within one reading interval.
 * Readings between GCs sit somewhere on the sawtooth of garbage accumulating; only the post-GC value
 * says what is still live. Intervals without a major GC give no reading (the detector waits).
 */
export class PostGcFloor {
  #heap: number | undefined;
  #external: number | undefined;

  /** Records the heap and external memory right after a major GC. */
  record(heapUsed: number, external: number): void {
    this.#heap = this.#heap === undefined ? heapUsed : Math.min(this.#heap, heapUsed);
    this.#external = this.#external === undefined ? external : Math.min(this.#external, external);
  }

  /** The lowest values since the last `take()`, and resets; undefined when no major GC happened. */
  take(): { heapUsed: number; external: number } | undefined {
    if (this.#heap === undefined || this.#external === undefined) return undefined;
    const floor = { heapUsed: this.#heap, external: this.#external };
    this.#heap = undefined;
    this.#external = undefined;
    return floor;
  }
}
