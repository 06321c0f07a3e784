import { SpanKind } from '@opentelemetry/api';
import { defineSpanFamily } from '../define-span-family.js';

const peer = { type: 'string', required: true } as const;

/**
 * Federation between peers: syncing state with a peer (a CLIENT call, `server.*` and `rpc.*`),
 * sending a message to a peer (a PRODUCER span, `messaging.message.*`) and resolving conflicts.
 *
 * @example
 * ```ts
 * await federationSpans.peerSync({ peer: 'eu-1', direction: 'pull', rpcSystem: 'grpc' }, () =>
 *   client.pull(since),
 * );
 * ```
 */
export const federationSpans = defineSpanFamily('federation', {
  peerSync: {
    kind: SpanKind.CLIENT,
    attributes: {
      peer,
      direction: 'string',
      itemCount: 'int',
      bytes: 'int',
      serverAddress: { type: 'string', key: 'server.address' },
      serverPort: { type: 'int', key: 'server.port' },
      rpcSystem: { type: 'string', key: 'rpc.system.name' },
      rpcMethod: { type: 'string', key: 'rpc.method' },
    },
  },
  peerMessage: {
    kind: SpanKind.PRODUCER,
    attributes: {
      peer,
      messageType: 'string',
      messageId: { type: 'string', key: 'messaging.message.id' },
      bytes: { type: 'int', key: 'messaging.message.body.size' },
    },
  },
  conflictResolution: {
    attributes: { peer: 'string', strategy: 'string', conflictCount: 'int', resolvedCount: 'int' },
  },
});
