import { SpanKind } from '@opentelemetry/api';
import { defineSpanFamily } from '../define-span-family.js';

const round = { type: 'int', required: true } as const;

/**
 * Federated learning: a client's local training round, the server's aggregation of updates, and
 * model transfers between client and server (`server.address`, `server.port`).
 *
 * @example
 * ```ts
 * await federatedLearningSpans.localTraining({ round: 12, clientId, samples: shard.length }, () =>
 *   model.fit(shard),
 * );
 * ```
 */
export const federatedLearningSpans = defineSpanFamily('federated_learning', {
  localTraining: {
    attributes: {
      round,
      clientId: 'string',
      model: 'string',
      samples: 'int',
      epochs: 'int',
      loss: 'double',
    },
  },
  aggregation: {
    attributes: { round, algorithm: 'string', clientCount: 'int', sampleCount: 'int' },
  },
  modelUpload: {
    kind: SpanKind.CLIENT,
    attributes: {
      round,
      clientId: 'string',
      modelVersion: 'string',
      bytes: 'int',
      serverAddress: { type: 'string', key: 'server.address' },
      serverPort: { type: 'int', key: 'server.port' },
    },
  },
  modelDownload: {
    kind: SpanKind.CLIENT,
    attributes: {
      round,
      clientId: 'string',
      modelVersion: 'string',
      bytes: 'int',
      serverAddress: { type: 'string', key: 'server.address' },
      serverPort: { type: 'int', key: 'server.port' },
    },
  },
});
