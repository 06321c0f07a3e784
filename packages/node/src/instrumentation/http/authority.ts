import type { Attributes } from '@opentelemetry/api';

/**
 * Sets `server.address` and `server.port` from an authority (`host`, `host:port`, `[v6]:port`,
 * possibly with userinfo), the way semconv derives them from `Host` or a URL. The port falls back
 * to the scheme's default when the authority has none.
 */
export function setServerAuthority(attributes: Attributes, authority: string, defaultPort: number) {
  const at = authority.lastIndexOf('@');
  if (at !== -1) authority = authority.slice(at + 1);
  let host = authority;
  let port = defaultPort;
  if (authority.charCodeAt(0) === 91 /* [ */) {
    const close = authority.indexOf(']');
    if (close !== -1) {
      host = authority.slice(1, close);
      if (authority.charCodeAt(close + 1) === 58 /* : */) port = Number(authority.slice(close + 2));
    }
  } else {
    const colon = authority.indexOf(':');
    // More than one colon without brackets is a bare IPv6 address, not host:port.
    if (colon !== -1 && authority.indexOf(':', colon + 1) === -1) {
      host = authority.slice(0, colon);
      port = Number(authority.slice(colon + 1));
    }
  }
  if (host.length > 0) attributes['server.address'] = host;
  if (Number.isInteger(port) && port > 0 && port < 65536) attributes['server.port'] = port;
}

/** The first entry of a comma-separated header (`X-Forwarded-For: client, proxy1`), trimmed. */
export function firstHeaderEntry(value: string | string[] | undefined): string | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined) return undefined;
  const comma = text.indexOf(',');
  const first = (comma === -1 ? text : text.slice(0, comma)).trim();
  return first.length > 0 ? first : undefined;
}
