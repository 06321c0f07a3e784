import { SpanKind } from '@opentelemetry/api';
import { defineSpanFamily } from '../define-span-family.js';

/**
 * A distributed ledger: committing a transaction, creating a block, building or verifying a
 * merkle proof, and syncing state from a peer (described with `network.peer.*`).
 *
 * @example
 * ```ts
 * await ledgerSpans.blockCreation({ blockHeight: 1024, transactionCount: txs.length }, () =>
 *   chain.append(txs),
 * );
 * ```
 */
export const ledgerSpans = defineSpanFamily('ledger', {
  transactionCommit: {
    attributes: {
      transactionId: { type: 'string', required: true },
      blockHeight: 'int',
      sizeBytes: 'int',
      fee: 'double',
    },
  },
  blockCreation: {
    attributes: {
      blockHeight: { type: 'int', required: true },
      blockHash: 'string',
      previousHash: 'string',
      transactionCount: 'int',
      sizeBytes: 'int',
    },
  },
  merkleProof: {
    attributes: {
      transactionId: 'string',
      rootHash: 'string',
      leafIndex: 'int',
      treeDepth: 'int',
      verified: 'bool',
    },
  },
  stateSync: {
    kind: SpanKind.CLIENT,
    attributes: {
      fromHeight: 'int',
      toHeight: 'int',
      peerAddress: { type: 'string', key: 'network.peer.address' },
      peerPort: { type: 'int', key: 'network.peer.port' },
      blockCount: 'int',
      bytes: 'int',
    },
  },
});
