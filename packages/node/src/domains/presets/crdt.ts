import { SpanKind } from '@opentelemetry/api';
import { defineSpanFamily } from '../define-span-family.js';

const type = { type: 'string', required: true } as const;

/**
 * CRDT replication: merging remote state into a replica, and broadcasting local deltas (a
 * PRODUCER span; its payload size is `messaging.message.body.size`).
 *
 * @example
 * ```ts
 * const merged = crdtSpans.merge({ type: 'or_set', replicaId: 'r1', operations: delta.ops.length }, () =>
 *   set.merge(delta),
 * );
 * ```
 */
export const crdtSpans = defineSpanFamily('crdt', {
  merge: {
    attributes: {
      type,
      replicaId: 'string',
      operations: 'int',
      conflicts: 'int',
      stateBytes: 'int',
    },
  },
  broadcast: {
    kind: SpanKind.PRODUCER,
    attributes: {
      type,
      replicaId: 'string',
      peerCount: 'int',
      deltaCount: 'int',
      bytes: { type: 'int', key: 'messaging.message.body.size' },
    },
  },
});
