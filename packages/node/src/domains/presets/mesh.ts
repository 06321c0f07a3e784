import { SpanKind } from '@opentelemetry/api';
import { defineSpanFamily } from '../define-span-family.js';

const destination = { type: 'string', required: true } as const;

/**
 * Mesh networking: discovering nodes, computing a route, forwarding to the next hop. The next hop
 * is described with the `network.*` semantic conventions.
 *
 * @example
 * ```ts
 * await meshSpans.forwarding(
 *   { destination: 'node-9', peerAddress: '10.0.0.7', peerPort: 7946, transport: 'udp', bytes: 512 },
 *   () => socket.send(packet),
 * );
 * ```
 */
export const meshSpans = defineSpanFamily('mesh', {
  nodeDiscovery: {
    attributes: { nodeId: 'string', method: 'string', discoveredCount: 'int', peers: 'string[]' },
  },
  routing: {
    attributes: {
      destination,
      hopCount: 'int',
      route: 'string[]',
      protocol: { type: 'string', key: 'network.protocol.name' },
    },
  },
  forwarding: {
    kind: SpanKind.CLIENT,
    attributes: {
      destination,
      peerAddress: { type: 'string', key: 'network.peer.address' },
      peerPort: { type: 'int', key: 'network.peer.port' },
      transport: { type: 'string', key: 'network.transport' },
      bytes: 'int',
      ttl: 'int',
    },
  },
});
