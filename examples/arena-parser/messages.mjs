// A deterministic stream of binary messages, cut into chunks at arbitrary points the way a socket
// delivers them. Frame: u32 length (of what follows) | u8 type | u16 field count | fields, each
// u8 tag | u16 length | bytes. Little-endian.

export const MESSAGE_TYPES = { 1: 'order', 2: 'quote', 3: 'heartbeat' };

/** mulberry32, so the stream is the same on every run. */
function seeded(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One encoded message of `type`: orders and quotes carry fields, heartbeats none. */
function encode(type, random) {
  const fieldCount = type === 3 ? 0 : type === 1 ? 4 : 2 + Math.floor(random() * 3);
  const fields = [];
  for (let f = 0; f < fieldCount; f++) {
    const length = 4 + Math.floor(random() * (type === 1 ? 60 : 24));
    const bytes = new Uint8Array(length);
    for (let i = 0; i < length; i++) bytes[i] = 32 + Math.floor(random() * 95);
    fields.push({ tag: f + 1, bytes });
  }
  const bodyLength = 3 + fields.reduce((n, f) => n + 3 + f.bytes.length, 0);
  const frame = new Uint8Array(4 + bodyLength);
  const view = new DataView(frame.buffer);
  view.setUint32(0, bodyLength, true);
  view.setUint8(4, type);
  view.setUint16(5, fieldCount, true);
  let at = 7;
  for (const field of fields) {
    view.setUint8(at, field.tag);
    view.setUint16(at + 1, field.bytes.length, true);
    frame.set(field.bytes, at + 3);
    at += 3 + field.bytes.length;
  }
  return frame;
}

/** `count` messages (types in a 5:4:1 mix), delivered as chunks of 1 to 700 bytes. */
export function* messageStream(count, seed = 2026) {
  const random = seeded(seed);
  const frames = [];
  for (let i = 0; i < count; i++) {
    const r = random();
    frames.push(encode(r < 0.5 ? 1 : r < 0.9 ? 2 : 3, random));
  }
  const all = new Uint8Array(frames.reduce((n, f) => n + f.length, 0));
  let at = 0;
  for (const f of frames) {
    all.set(f, at);
    at += f.length;
  }
  for (let start = 0; start < all.length; ) {
    const end = Math.min(all.length, start + 1 + Math.floor(random() * 700));
    yield all.subarray(start, end);
    start = end;
  }
}
