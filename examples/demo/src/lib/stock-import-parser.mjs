// A binary stock-import parser: records of [u16 sku length][sku bytes][i32 quantity delta], big-endian.
// Each message is parsed inside an `@sightline/arena` checkpoint: the message is copied into the
// arena and every decoded record gets an 8-byte slot there (sku offset+length, delta) instead of
// an object per field, and the whole message is freed at once when the checkpoint rolls back. The
// arena's telemetry (a `parse-stock-import` pattern span with a size fingerprint, sampled
// allocation spans, `sightline.arena.*` metrics) lands in the same trace as the request.
import { Arena } from '@sightline/arena';

/** @typedef {{ sku: string, delta: number }} StockRecord */

export const PARSER_NAME = 'arena';

/** @type {Arena | undefined} */
let arena;
function importArena() {
  // Created on first use, after the SDK is registered, so its telemetry reaches the exporters.
  arena ??= new Arena({
    name: 'stock-import',
    growable: { chunkSize: 1 << 16 },
    telemetry: { spans: true, patterns: true, events: true, samplingRate: 2 ** -12 },
  });
  return arena;
}

const RECORD_SLOT = 8;

/**
 * Decodes every record of `bytes`; throws on a truncated record.
 * @param {Uint8Array} bytes
 * @returns {StockRecord[]}
 */
export function parseStockImport(bytes) {
  const a = importArena();
  const checkpoint = a.checkpoint();
  const pattern = a.pattern('parse-stock-import');
  try {
    const messageOffset = a.alloc(Math.max(1, bytes.byteLength));
    const message = a.bytes(messageOffset, bytes.byteLength);
    message.set(bytes);
    const view = a.dataView(messageOffset, bytes.byteLength);
    /** @type {number[]} */
    const slots = [];
    let offset = 0;
    while (offset < bytes.byteLength) {
      if (offset + 2 > bytes.byteLength) throw new Error(`truncated record at byte ${offset}`);
      const length = view.getUint16(offset);
      if (offset + 2 + length + 4 > bytes.byteLength)
        throw new Error(`truncated record at byte ${offset}`);
      const slot = a.alloc(RECORD_SLOT);
      const record = a.dataView(slot, RECORD_SLOT);
      record.setUint32(0, ((offset + 2) << 8) | Math.min(length, 255));
      record.setInt32(4, view.getInt32(offset + 2 + length));
      slots.push(slot);
      offset += 2 + length + 4;
    }
    // Materialise the records for the caller; the arena memory is freed below.
    const decoder = new TextDecoder();
    return slots.map((slot) => {
      const record = a.dataView(slot, RECORD_SLOT);
      const packed = record.getUint32(0);
      const start = packed >>> 8;
      return {
        sku: decoder.decode(message.subarray(start, start + (packed & 0xff))),
        delta: record.getInt32(4),
      };
    });
  } finally {
    pattern[Symbol.dispose]();
    checkpoint[Symbol.dispose]();
  }
}

/**
 * Encodes records in the import format (the load generator uses it). SKUs up to 255 bytes.
 * @param {StockRecord[]} records
 */
export function encodeStockImport(records) {
  const encoder = new TextEncoder();
  const parts = records.map((r) => encoder.encode(r.sku));
  const out = new Uint8Array(parts.reduce((n, p) => n + 6 + p.byteLength, 0));
  const view = new DataView(out.buffer);
  let offset = 0;
  records.forEach((record, i) => {
    const sku = /** @type {Uint8Array} */ (parts[i]);
    if (sku.byteLength > 255) throw new RangeError(`sku longer than 255 bytes: ${record.sku}`);
    view.setUint16(offset, sku.byteLength);
    out.set(sku, offset + 2);
    view.setInt32(offset + 2 + sku.byteLength, record.delta);
    offset += 6 + sku.byteLength;
  });
  return out;
}
