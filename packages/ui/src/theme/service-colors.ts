/**
 * A stable colour per service: the same service gets the same colour on every page and every load
 * (a hash of the name into a palette readable on both themes).
 */

export const SERVICE_PALETTE = [
  '#4e79a7',
  '#f28e2b',
  '#59a14f',
  '#b07aa1',
  '#76b7b2',
  '#edc948',
  '#ff9da7',
  '#9c755f',
  '#8cd17d',
  '#a0cbe8',
  '#bab0ac',
  '#d4a6c8',
  '#499894',
  '#f1ce63',
];

/**
 * FNV-1a hash of a string, unsigned 32-bit.
 *
 * @example
 * hashString('checkout') === hashString('checkout'); // true
 */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * The colour of a service.
 *
 * @example
 * serviceColor('checkout'); // '#…' from SERVICE_PALETTE, always the same
 */
export function serviceColor(service: string): string {
  return SERVICE_PALETTE[hashString(service) % SERVICE_PALETTE.length] as string;
}
