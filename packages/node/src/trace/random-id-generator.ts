import { randomFillSync } from 'node:crypto';
import type { IdGenerator } from '@opentelemetry/sdk-trace';

/** Random bytes hex-encoded at once: 4 KiB make 512 span ids or 256 trace ids. */
const POOL_BYTES = 4096;
const INVALID_TRACE_ID = '0'.repeat(32);
const INVALID_SPAN_ID = '0'.repeat(16);

/**
 * Trace and span ids cut from a pool of random bytes (crypto-grade, unlike the SDK's
 * `Math.random()` ids), hex-encoded in one call per 4 KiB. An id is a substring of the pool's
 * string, which V8 keeps as a slice: it costs no copy, and keeps its 8 KiB pool string alive as
 * long as some id cut from it is alive.
 */
export class PooledIdGenerator implements IdGenerator {
  private readonly bytes = Buffer.allocUnsafeSlow(POOL_BYTES);
  private hex = '';
  private offset = 0;

  generateTraceId(): string {
    const id = this.take(32);
    return id === INVALID_TRACE_ID ? this.generateTraceId() : id;
  }

  generateSpanId(): string {
    const id = this.take(16);
    return id === INVALID_SPAN_ID ? this.generateSpanId() : id;
  }

  private take(chars: number): string {
    if (this.offset + chars > this.hex.length) {
      randomFillSync(this.bytes);
      this.hex = this.bytes.toString('hex');
      this.offset = 0;
    }
    const id = this.hex.substring(this.offset, this.offset + chars);
    this.offset += chars;
    return id;
  }
}
