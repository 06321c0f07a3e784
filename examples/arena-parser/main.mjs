// Parses a stream of binary messages into two arenas, one checkpoint per message, and exports the
// arenas' telemetry through Sightline: metrics (capacity, used, fragmentation, …), a pattern span
// per message, a `parse-batch` trace with one child span per arena, and sampled allocation spans.
//
// `npm start -w examples/arena-parser` sends OTLP to http://localhost:4318, where `sightline dev`
// listens; OTEL_EXPORTER_OTLP_ENDPOINT points it elsewhere.
import { Arena, traceArenas } from '@sightline/arena';
import { init } from '@sightline/node';
import { MESSAGE_TYPES, messageStream } from './messages.mjs';

const MESSAGES = Number(process.env.ARENA_PARSER_MESSAGES ?? 1000);
const BATCH = 100;

const sightline = init({
  service: { name: 'arena-parser', version: '1.0.0' },
  traces: { batch: { scheduledDelayMillis: 200 } },
  shutdown: { handleSignals: false },
});

// Every flag on. A higher sampling rate than the default 2^-19 (one sample per 512 KiB), so that a
// run of a few hundred KiB shows some allocation spans.
const telemetry = { ...allFlags(), samplingRate: 2 ** -12 };
/** Decoded message headers: small, fixed. */
const headers = new Arena({ name: 'headers', capacity: 64 * 1024, telemetry });
/** Field payloads: grows by 64 KiB chunks if a batch ever needs more. */
const bodies = new Arena({ name: 'bodies', growable: { chunkSize: 64 * 1024 }, telemetry });

const counts = { order: 0, quote: 0, heartbeat: 0 };
let checksum = 0;
let parsed = 0;

// Reassembly buffer for frames split across chunks. The parser copies what it needs into the
// arenas; per-message memory is released by rolling back the message's checkpoint.
let pending = new Uint8Array(0);
let batch;

for (const chunk of messageStream(MESSAGES)) {
  pending = concat(pending, chunk);
  let at = 0;
  while (pending.length - at >= 4) {
    const length = new DataView(pending.buffer, pending.byteOffset + at).getUint32(0, true);
    if (pending.length - at - 4 < length) break;
    batch ??= traceArenas('parse-batch', [headers, bodies], { 'parser.batch.size': BATCH });
    batch.run(() => parseMessage(pending.subarray(at + 4, at + 4 + length)));
    at += 4 + length;
    if (++parsed % BATCH === 0) {
      batch.end();
      batch = undefined;
    }
  }
  pending = pending.slice(at);
}
batch?.end();

console.log(`parsed ${parsed} messages: ${JSON.stringify(counts)}, checksum ${checksum >>> 0}`);
for (const arena of [headers, bodies]) {
  const s = arena.stats();
  console.log(
    `arena ${s.name}: ${s.allocations} allocations, ${s.bytesAllocated} bytes, high-water ${s.highWaterMark} of ${s.capacity}, ${s.rollbacks} rollbacks, ${s.samples} sampled`,
  );
}
await sightline.shutdown();

/** Decodes one message body into the arenas; everything it allocates is freed when it returns. */
function parseMessage(body) {
  const type = MESSAGE_TYPES[body[0]] ?? 'unknown';
  using _headers = headers.checkpoint();
  using _bodies = bodies.checkpoint();
  using _pattern = bodies.pattern(`decode ${type}`);
  counts[type] = (counts[type] ?? 0) + 1;
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const fieldCount = view.getUint16(1, true);
  // A header record: type, field count, then (offset, length) of each field in `bodies`.
  const header = headers.alloc(8 + 8 * fieldCount);
  const record = headers.typed(Uint32Array, header, 2 + 2 * fieldCount);
  record[0] = body[0];
  record[1] = fieldCount;
  let at = 3;
  for (let f = 0; f < fieldCount; f++) {
    const length = view.getUint16(at + 1, true);
    const offset = bodies.alloc(length);
    bodies.bytes(offset, length).set(body.subarray(at + 3, at + 3 + length));
    record[2 + 2 * f] = offset;
    record[3 + 2 * f] = length;
    at += 3 + length;
  }
  // "Use" the message: a checksum over the copied fields, read back through the arena.
  for (let f = 0; f < fieldCount; f++) {
    const bytes = bodies.bytes(record[2 + 2 * f], record[3 + 2 * f]);
    for (const b of bytes) checksum = (Math.imul(checksum, 31) + b) | 0;
  }
}

function concat(a, b) {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function allFlags() {
  return { spans: true, metrics: true, events: true, patterns: true, distributed: true };
}
