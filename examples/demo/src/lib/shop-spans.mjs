// The demo's own domain span family: each business step is one typed helper with fixed span names,
// attribute keys and RED metrics (`defineSpanFamily` from `@sightline/node/domains`).
import { SpanKind } from '@opentelemetry/api';
import { defineSpanFamily } from '@sightline/node/domains';

export const shopSpans = defineSpanFamily('shop', {
  priceOrder: {
    attributes: {
      sku: { type: 'string', required: true },
      quantity: 'int',
      totalCents: 'int',
    },
  },
  reserveStock: {
    attributes: {
      sku: { type: 'string', required: true },
      quantity: 'int',
      remaining: 'int',
    },
  },
  parseImport: {
    attributes: {
      bytes: { type: 'int', required: true },
      records: 'int',
      parser: 'string',
    },
  },
  publishOrderEvent: {
    kind: SpanKind.PRODUCER,
    attributes: {
      orderId: { type: 'int', required: true },
      destination: { type: 'string', key: 'messaging.destination.name' },
      system: { type: 'string', key: 'messaging.system' },
    },
  },
});
