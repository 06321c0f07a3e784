import type { Attributes } from '@opentelemetry/api';

/**
 * Sets `server.address` and `server.port` from an authority (`host`, `host:port`, `[v6]:port`,
 * possibly with userinfo), the way semconv derives them from `Host` or a URL. The port falls back
 * to the scheme's default when the authority has none.
 */
export function setServerAuthority(attributes: Attributes, authority: string, defaultPort: number) {
  // Requests in a row mostly carry the same Host: parse it once.
  if (authority !== last.authority || defaultPort !== last.defaultPort)
    parseAuthority(authority, defaultPort);
  if (last.host !== undefined) attributes['server.address'] = last.host;
  if (last.port !== undefined) attributes['server.port'] = last.port;
}

const last: {
  authority: string | undefined;
  defaultPort: number;
  host: string | undefined;
  port: number | undefined;
} = { authority: undefined, defaultPort: 0, host: undefined, port: undefined };

function parseAuthority(authority: string, defaultPort: number): void {
  last.authority = authority;
  last.defaultPort = defaultPort;
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
  last.host = host.length > 0 ? host : undefined;
  last.port = Number.isInteger(port) && port > 0 && port < 65536 ? port : undefined;
}

/** The first entry of a comma-separated header (`X-Forwarded-For: client, proxy1`), trimmed. */
export function firstHeaderEntry(value: string | string[] | undefined): string | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined) return undefined;
  const comma = text.indexOf(',');
  const first = (comma === -1 ? text : text.slice(0, comma)).trim();
  return first.length > 0 ? first : undefined;
}
