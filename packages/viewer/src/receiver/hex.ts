/** Lowercase hex for ids (OTLP/JSON encodes trace and span ids as hex, not base64). */

const BYTE_HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function bytesToHex(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += BYTE_HEX[bytes[i] as number];
  return out;
}

const HEX_RE = /^[0-9a-f]*$/;

/** True for an id of `bytes` bytes in lowercase or uppercase hex. */
export function isHexId(value: string, bytes: number): boolean {
  return value.length === bytes * 2 && HEX_RE.test(value.toLowerCase());
}

/** True when every character is '0' (an invalid, all-zero trace or span id). */
export function isZeroId(hex: string): boolean {
  for (let i = 0; i < hex.length; i++) if (hex.charCodeAt(i) !== 48) return false;
  return true;
}

/** True when bytes [start, end) are all zero (an invalid trace or span id). */
export function isZeroBytes(buf: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (buf[i] !== 0) return false;
  return true;
}
