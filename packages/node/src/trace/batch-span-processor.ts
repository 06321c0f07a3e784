import { type Context, TraceFlags } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';

/** What `BatchSpanProcessor` queues spans in: `BatchExportQueue`, or `EncodedSpanQueue`. */
export interface SpanQueue {
  add(span: ReadableSpan): void;
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

/** Queues sampled spans for batched export; what does not fit is dropped and counted. */
export class BatchSpanProcessor implements SpanProcessor {
  constructor(private readonly queue: SpanQueue) {}

  onStart(_span: Span, _parentContext: Context): void {}

  onEnd(span: ReadableSpan): void {
    if ((span.spanContext().traceFlags & TraceFlags.SAMPLED) === 0) return;
    this.queue.add(span);
  }

  forceFlush(): Promise<void> {
    return this.queue.flush();
  }

  shutdown(): Promise<void> {
    return this.queue.shutdown();
  }
}
