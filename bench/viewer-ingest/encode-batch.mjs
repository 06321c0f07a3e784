// A tiny OTLP trace protobuf writer for the load generator: builds one ExportTraceServiceRequest template
// of `traces` x `spansPerTrace` spans over a few services and operations, and remembers where the ids and
// timestamps are, so each request gets fresh trace/span ids and current times by patching bytes in place
// (cheap, so the load process measures the viewer, not itself).

const SERVICES = ['frontend', 'checkout', 'payments', 'inventory'];
const OPS = {
  frontend: ['GET /', 'GET /cart', 'POST /checkout', 'GET /product/:id', 'GET /search'],
  checkout: ['PlaceOrder', 'GetCart', 'EmptyCart', 'Quote', 'Validate'],
  payments: ['Charge', 'Refund', 'Authorize', 'Capture', 'Verify'],
  inventory: ['Reserve', 'Release', 'Lookup', 'SELECT stock', 'UPDATE stock'],
};

class Writer {
  constructor() {
    this.parts = [];
    this.len = 0;
  }
  bytes(b) {
    this.parts.push(b);
    this.len += b.length;
  }
  varint(n) {
    const out = [];
    let v = n;
    while (v > 0x7f) {
      out.push((v & 0x7f) | 0x80);
      v = Math.floor(v / 128);
    }
    out.push(v);
    this.bytes(Buffer.from(out));
  }
  tag(field, wire) {
    this.varint((field << 3) | wire);
  }
  lenDelim(field, buf) {
    this.tag(field, 2);
    this.varint(buf.length);
    this.bytes(buf);
  }
  str(field, s) {
    this.lenDelim(field, Buffer.from(s));
  }
  fixed64(field, v) {
    this.tag(field, 1);
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(v);
    this.bytes(b);
  }
  finish() {
    return Buffer.concat(this.parts, this.len);
  }
}

function kvString(key, value) {
  const any = new Writer();
  any.str(1, value);
  const kv = new Writer();
  kv.str(1, key);
  kv.lenDelim(2, any.finish());
  return kv.finish();
}

function kvInt(key, value) {
  const any = new Writer();
  any.tag(3, 0);
  any.varint(value);
  const kv = new Writer();
  kv.str(1, key);
  kv.lenDelim(2, any.finish());
  return kv.finish();
}

// Marker bytes replaced later: ids get patched, times get patched.
const TRACE_MARK = Buffer.alloc(16, 0xaa);
const START_MARK = 0x7a7a7a0000000000n;

function span(i, t, s, service, op, parentIdx, kind, error) {
  const w = new Writer();
  w.lenDelim(1, TRACE_MARK); // trace id
  const sid = Buffer.alloc(8);
  sid.writeUInt32BE(t, 0);
  sid.writeUInt32BE(s + 1, 4);
  w.lenDelim(2, sid);
  if (parentIdx >= 0) {
    const pid = Buffer.alloc(8);
    pid.writeUInt32BE(t, 0);
    pid.writeUInt32BE(parentIdx + 1, 4);
    w.lenDelim(4, pid);
  }
  w.str(5, op);
  w.tag(6, 0);
  w.varint(kind);
  const dur = BigInt(200_000 + ((i * 7919) % 20_000_000));
  w.fixed64(7, START_MARK + BigInt(i)); // start, patched per request
  w.fixed64(8, dur); // end - start for now, patched per request
  w.lenDelim(9, kvString('http.route', op));
  w.lenDelim(9, kvInt('http.status_code', error ? 500 : 200));
  w.lenDelim(9, kvString('user.id', `user-${i % 997}`));
  w.lenDelim(9, kvString('net.peer.name', `${service}.svc.cluster.local`));
  if (error) {
    const st = new Writer();
    st.str(2, 'internal error');
    st.tag(3, 0);
    st.varint(2);
    w.lenDelim(15, st.finish());
  }
  return { buf: w.finish(), dur };
}

/**
 * @returns {{ template: Buffer, traceIdOffsets: number[], spanIdHighOffsets: number[], timeOffsets: [number, bigint][], spans: number }}
 */
export function buildTemplate(traces = 100, spansPerTrace = 10) {
  const byService = new Map(SERVICES.map((s) => [s, []]));
  let i = 0;
  for (let t = 0; t < traces; t++) {
    for (let s = 0; s < spansPerTrace; s++) {
      const service = SERVICES[s % SERVICES.length];
      const op = OPS[service][(t + s) % 5];
      const parent = s === 0 ? -1 : Math.floor((s - 1) / 2);
      const kind = s === 0 ? 2 : s % 2 ? 3 : 2;
      const error = i % 97 === 0;
      byService.get(service).push(span(i, t, s, service, op, parent, kind, error));
      i++;
    }
  }
  const req = new Writer();
  for (const [service, spans] of byService) {
    const res = new Writer();
    res.lenDelim(1, kvString('service.name', service));
    res.lenDelim(1, kvString('host.name', 'bench-host'));
    const scope = new Writer();
    const sc = new Writer();
    sc.str(1, 'bench');
    sc.str(2, '1.0.0');
    scope.lenDelim(1, sc.finish());
    for (const s of spans) scope.lenDelim(2, s.buf);
    const rs = new Writer();
    rs.lenDelim(1, res.finish());
    rs.lenDelim(2, scope.finish());
    req.lenDelim(1, rs.finish());
  }
  const template = req.finish();
  // Find markers: trace ids (16 x 0xaa) and start times (fixed64 == 1).
  const traceIdOffsets = [];
  for (let p = template.indexOf(TRACE_MARK); p >= 0; p = template.indexOf(TRACE_MARK, p + 16))
    traceIdOffsets.push(p);
  const timeOffsets = [];
  const mark = Buffer.alloc(8);
  for (let k = 0; k < i; k++) {
    mark.writeBigUInt64LE(START_MARK + BigInt(k));
    const p = template.indexOf(mark);
    timeOffsets.push([p, template.readBigUInt64LE(p + 9)]);
  }
  return {
    template,
    traceIdOffsets,
    timeOffsets,
    spans: traces * spansPerTrace,
    traces,
    spansPerTrace,
  };
}

/**
 * Makes request number `n` from the template: trace ids unique per (run, n, trace), times now.
 * Span ids embed the trace index, so they stay unique within a trace; trace ids make them unique overall.
 */
export function makeRequest(tpl, n, runTag, nowNs) {
  const buf = Buffer.from(tpl.template);
  // Each span's trace id is derived from (runTag, n, trace index); the trace index is in its span id.
  for (const off of tpl.traceIdOffsets) {
    const t = buf.readUInt32BE(off + 16 + 2); // span id follows: tag(1) len(1) 8 bytes; first u32 = trace index
    writeTraceId(buf, off, runTag, n, t);
  }
  for (const [p, dur] of tpl.timeOffsets) {
    buf.writeBigUInt64LE(nowNs, p);
    buf.writeBigUInt64LE(nowNs + dur, p + 9);
  }
  return buf;
}

// Real trace ids are random; sequential ones would let DuckDB's zone maps skip row groups and flatter
// the lookup. So the id is a hash of (run, request, trace): random-looking, yet reproducible for lookups.
function mix(x) {
  let h = x >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function writeTraceId(buf, off, runTag, n, t) {
  const seed = mix(runTag * 0x9e3779b1 + mix(n) + t * 0x632be5ab);
  buf.writeUInt32BE(mix(seed ^ 1), off);
  buf.writeUInt32BE(mix(seed ^ 2), off + 4);
  buf.writeUInt32BE((mix(seed ^ 3) ^ n) >>> 0, off + 8);
  buf.writeUInt32BE((mix(seed ^ 4) ^ t) >>> 0, off + 12);
}

export function traceIdHex(runTag, n, t) {
  const b = Buffer.alloc(16);
  writeTraceId(b, 0, runTag, n, t);
  return b.toString('hex');
}

export { OPS, SERVICES };
