import { randomFillSync } from 'node:crypto';
import type { IdGenerator } from '@opentelemetry/sdk-trace';

/**
 * Random bytes drawn at once: one `randomFillSync` call per 64 KiB, about 2,700 root spans. A call
 * costs 3 to 7 µs whatever its size up to a few KiB, and 0.4 ns a byte past that (measured here).
 */
const POOL_BYTES = 64 * 1024;
/**
 * Bytes hex-encoded at once: a 512-character string serves about ten root spans' ids. The call costs
 * about the same for 64 bytes as for 256 (a native call's overhead): at 64 it was 0.14 µs per
 * request in a `perf` profile of bench/http's hello server.
 */
const CHUNK_BYTES = 256;
const INVALID_TRACE_ID = '0'.repeat(32);
const INVALID_SPAN_ID = '0'.repeat(16);
const ZERO = 48; // '0'
const EMPTY = Buffer.alloc(0);

/**
 * Trace and span ids cut from crypto-grade random bytes (the SDK's are `Math.random()`), drawn
 * 64 KiB at a time and hex-encoded 256 bytes at a time. An id is a substring of its chunk's string,
 * which V8 keeps as a slice of it: no copy, and an id an app keeps holds at most that 512-character
 * chunk alive. About a third of the cost of one hex conversion per id.
 *
 * The bytes of the id made last are at `lastBytes[lastAt…]`: a span keeps that place so that the
 * OTLP encoder copies its ids instead of decoding their hex (which for substrings cost about 200 ns
 * a root span, against 35 for the copy, in a loop). A pool is never written again once used up (a
 * new one is drawn), so the place stays true for as long as the span lives; a span an app keeps
 * holds its pool alive.
 */
export class PooledIdGenerator implements IdGenerator {
  private bytes: Buffer = EMPTY;
  private byteOffset = POOL_BYTES;
  /** Where the current chunk's bytes start in `bytes`. */
  private chunkAt = 0;
  private hex = '';
  private offset = 0;
  /** The pool holding the bytes of the id made last (see the class comment). */
  lastBytes: Uint8Array = EMPTY;
  /** Where in `lastBytes` the id made last starts. */
  lastAt = 0;

  // The all-zero test looks at the first character before comparing the whole id: V8 compares a
  // substring with another string of the same length in its runtime, not inline, and that call
  // cost about 0.1 µs per request in bench/http (perf profile of its server); 15 ids in 16 skip it.
  generateTraceId(): string {
    const id = this.take(32);
    return id.charCodeAt(0) === ZERO && id === INVALID_TRACE_ID ? this.generateTraceId() : id;
  }

  generateSpanId(): string {
    const id = this.take(16);
    return id.charCodeAt(0) === ZERO && id === INVALID_SPAN_ID ? this.generateSpanId() : id;
  }

  private take(chars: number): string {
    if (this.offset + chars > this.hex.length) {
      if (this.byteOffset + CHUNK_BYTES > POOL_BYTES) {
        this.bytes = randomFillSync(Buffer.allocUnsafeSlow(POOL_BYTES));
        this.byteOffset = 0;
      }
      this.chunkAt = this.byteOffset;
      this.hex = this.bytes.toString('hex', this.byteOffset, this.byteOffset + CHUNK_BYTES);
      this.byteOffset += CHUNK_BYTES;
      this.offset = 0;
    }
    this.lastBytes = this.bytes;
    this.lastAt = this.chunkAt + (this.offset >>> 1);
    const id = this.hex.substring(this.offset, this.offset + chars);
    this.offset += chars;
    return id;
  }
}
