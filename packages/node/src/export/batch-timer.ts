/**
 * The `scheduledDelayMillis` timer of an export queue: armed when a batch starts to fill and no
 * export is in flight, cleared when the batch goes out. Unref'd: a waiting batch never keeps the
 * process alive (shutdown flushes it).
 */
export class BatchTimer {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly delayMillis: number,
    private readonly fire: () => void,
  ) {}

  /** Arms the timer unless it is armed already. */
  arm(): void {
    if (this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.fire();
    }, this.delayMillis);
    this.timer.unref();
  }

  clear(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
  }
}
