import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import * as semconv from '@opentelemetry/semantic-conventions/incubating';
import {
  type OtlpReceiver,
  type ReceivedSpan,
  startOtlpReceiver,
} from '../../../test/support/otlp-receiver.js';
import type { SightlineHandle } from '../../lifecycle/handle.js';
import { init } from '../../lifecycle/init.js';
import type { AttributeType } from '../attribute-types.js';
import * as domains from '../index.js';
import type { SpanOperation } from '../span-operation.js';

type AnyOperation = SpanOperation<Record<string, unknown>>;

/** Every preset the entry point exports, by export name. */
const PRESETS = Object.entries(domains).filter(([name]) => name.endsWith('Spans')) as [
  string,
  Record<string, AnyOperation>,
][];

const SAMPLES: Record<AttributeType, (name: string) => unknown> = {
  string: (name) => `sample-${name}`,
  int: () => 7,
  double: () => 2.5,
  bool: () => true,
  'string[]': (name) => [`${name}-a`, `${name}-b`],
  'int[]': () => [1, 2],
  'double[]': () => [0.5, 1.5],
  'bool[]': () => [true, false],
};

/** Every attribute key defined by the semantic conventions package (stable and incubating). */
const SEMCONV_KEYS = new Set(
  Object.entries(semconv)
    .filter(([name, value]) => name.startsWith('ATTR_') && typeof value === 'string')
    .map(([, value]) => value as string),
);

// From dist/src/domains/presets/ up to the repository root.
const DOC = readFileSync(new URL('../../../../../../docs/domains.md', import.meta.url), 'utf8');

describe('presets', () => {
  let receiver: OtlpReceiver;
  let sightline: SightlineHandle;

  before(async () => {
    receiver = await startOtlpReceiver();
    sightline = init({
      otlp: { endpoint: receiver.httpUrl },
      traces: { batch: { scheduledDelayMillis: 10 } },
      metrics: { exporters: ['none'] },
      logs: { exporters: ['none'] },
      shutdown: { handleSignals: false },
    });
  });
  after(async () => {
    await sightline.shutdown();
    await receiver.stop();
  });

  it('exports all fifteen presets', () => {
    assert.deepEqual(PRESETS.map(([name]) => name).sort(), [
      'aiMemorySpans',
      'autonomicSpans',
      'cacheSpans',
      'crdtSpans',
      'databaseSpans',
      'ebpfSpans',
      'federatedLearningSpans',
      'federationSpans',
      'governanceSpans',
      'ledgerSpans',
      'meshSpans',
      'mlSpans',
      'raftSpans',
      'smartContractSpans',
      'workloadIdentitySpans',
    ]);
  });

  it('every preset operation emits every attribute it declares, with the declared value type', async () => {
    const expected: { label: string; op: AnyOperation; values: Record<string, unknown> }[] = [];
    for (const [preset, family] of PRESETS) {
      for (const [name, op] of Object.entries(family)) {
        const input: Record<string, unknown> = {};
        const values: Record<string, unknown> = {};
        for (const [attribute, { key, type }] of Object.entries(op.attributes)) {
          input[attribute] = SAMPLES[type](attribute);
          values[key] = input[attribute];
        }
        assert.ok(Object.keys(values).length > 0, `${preset}.${name} declares attributes`);
        op(input, () => {});
        expected.push({ label: `${preset}.${name}`, op, values });
      }
    }
    await sightline.flush();
    const spans = await receiver.waitFor(
      () => receiver.spans.length >= expected.length && receiver.spans,
      { what: `${expected.length} preset spans` },
    );
    assert.equal(spans.length, expected.length);
    for (const { label, op, values } of expected) {
      const span = spans.find((s: ReceivedSpan) => s.name === op.spanName);
      assert.ok(span, `${label}: span ${op.spanName}`);
      assert.equal(span.kind, op.kind + 1, `${label}: kind`); // OTLP kinds are the API's + 1
      for (const [key, value] of Object.entries(values)) {
        assert.deepEqual(span.attributes[key], value, `${label}: ${key}`);
      }
    }
  });

  it('uses only keys of its own namespace or of the semantic conventions', () => {
    for (const [preset, family] of PRESETS) {
      for (const [name, op] of Object.entries(family)) {
        const prefix = op.spanName.slice(0, op.spanName.indexOf('.'));
        for (const { key } of Object.values(op.attributes)) {
          assert.ok(
            key.startsWith(`${prefix}.`) || SEMCONV_KEYS.has(key),
            `${preset}.${name}: ${key} is neither ${prefix}.* nor a semantic-convention key`,
          );
        }
      }
    }
  });

  it('sets the semantic-convention constants: embeddings, tls', async () => {
    receiver.reset();
    domains.aiMemorySpans.embedding({ model: 'm' }, () => {});
    domains.workloadIdentitySpans.mtlsHandshake({}, () => {});
    await sightline.flush();
    const spans = await receiver.waitFor(() => receiver.spans.length >= 2 && receiver.spans);
    const embedding = spans.find((s) => s.name === 'ai_memory.embedding');
    assert.equal(embedding?.attributes['gen_ai.operation.name'], 'embeddings');
    assert.equal(embedding?.attributes['gen_ai.request.model'], 'm');
    const handshake = spans.find((s) => s.name === 'workload_identity.mtls_handshake');
    assert.equal(handshake?.attributes['tls.protocol.name'], 'tls');
  });

  it('are all listed in docs/domains.md with their span names and attribute keys', () => {
    for (const [preset, family] of PRESETS) {
      assert.ok(DOC.includes(`### \`${preset}\``), `${preset} has a section`);
      for (const [name, op] of Object.entries(family)) {
        const row = DOC.split('\n').find((line) =>
          line.startsWith(`| \`${name}\` | \`${op.spanName}\``),
        );
        assert.ok(row, `${preset}.${name}: a row for ${op.spanName}`);
        for (const [attribute, { key, required }] of Object.entries(op.attributes)) {
          const listed = required ? `**${attribute}** → \`${key}\`` : `${attribute} → \`${key}\``;
          assert.ok(row.includes(listed), `${preset}.${name}: ${listed}`);
        }
      }
    }
  });
});
