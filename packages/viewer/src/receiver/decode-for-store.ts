/**
 * Decodes one export request into what the store appends: spans as columns (see `span-columns.ts`),
 * metric points and log records as rows. Runs on the main thread or in a decode worker.
 */
import { decodeRequest, type Encoding } from './decode-request.js';
import type { Signal, StoreBatch } from './rows.js';
import { spanColumns } from './span-columns.js';

export interface DecodedForStore {
  batch: StoreBatch;
  /** Items in `batch`. */
  items: number;
  /** Items refused individually (partial success). */
  rejected: number;
  reasons: string[];
}

/** Throws ProtobufError / OtlpJsonError on malformed input. */
export function decodeForStore(
  signal: Signal,
  encoding: Encoding,
  body: Uint8Array,
): DecodedForStore {
  const decoded = decodeRequest(signal, encoding, body);
  const { rejected, reasons } = decoded.data;
  if (decoded.signal === 'traces') {
    const columns = spanColumns(decoded.data.rows);
    return { batch: { signal: 'spans', columns }, items: columns.count, rejected, reasons };
  }
  return { batch: decoded, items: decoded.data.rows.length, rejected, reasons };
}
