import { SpanKind } from '@opentelemetry/api';
import { defineSpanFamily } from '../define-span-family.js';

const spiffeId = { type: 'string', required: true } as const;

/**
 * Workload identity (SPIFFE/SPIRE): issuing and rotating SVIDs, and mTLS handshakes, which carry
 * the `tls.*` and `server.*` semantic conventions (`tls.protocol.name` is always `tls`).
 *
 * @example
 * ```ts
 * const svid = await workloadIdentitySpans.svidIssue(
 *   { spiffeId: 'spiffe://example.org/api', svidType: 'x509' },
 *   () => workloadApi.fetchX509SVID(),
 * );
 * ```
 */
export const workloadIdentitySpans = defineSpanFamily('workload_identity', {
  svidIssue: {
    kind: SpanKind.CLIENT,
    attributes: { spiffeId, svidType: 'string', trustDomain: 'string', ttlSeconds: 'double' },
  },
  svidRotation: {
    attributes: { spiffeId, svidType: 'string', reason: 'string', remainingSeconds: 'double' },
  },
  mtlsHandshake: {
    attributes: {
      peerSpiffeId: 'string',
      serverAddress: { type: 'string', key: 'server.address' },
      serverPort: { type: 'int', key: 'server.port' },
      protocolVersion: { type: 'string', key: 'tls.protocol.version' },
      cipher: { type: 'string', key: 'tls.cipher' },
      established: { type: 'bool', key: 'tls.established' },
      resumed: { type: 'bool', key: 'tls.resumed' },
      serverSubject: { type: 'string', key: 'tls.server.subject' },
    },
    constants: { 'tls.protocol.name': 'tls' },
  },
});
