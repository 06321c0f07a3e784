import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { context, trace } from '@opentelemetry/api';
import { inMemorySdk } from '../../test/support/in-memory-sdk.js';
import { Arena } from '../arena.js';

const sdk = inMemorySdk();
after(() => sdk.shutdown());

function newArena(name: string, telemetry: Record<string, unknown>, capacity = 4096): Arena {
  return new Arena({
    name,
    capacity,
    telemetry: { tracerProvider: sdk.tracerProvider, metrics: false, ...telemetry },
  });
}

function spansOf(name: string) {
  return sdk.spans().filter((s) => s.attributes['sightline.arena.name'] === name);
}

describe('allocation spans', () => {
  it('records sightline.arena.alloc with size, alignment, zone, offset and outcome', () => {
    const arena = newArena('spans', { spans: true, samplingRate: 1 }, 256);
    const zone = arena.zone('hdr', 64);
    arena.allocAligned(24, 16);
    zone.alloc(8);
    arena.tryAlloc(1000); // full
    const spans = sdk.spans().filter((s) => s.name === 'sightline.arena.alloc');
    const mine = spans.filter((s) => s.attributes['sightline.arena.name'] === 'spans');
    // zone() reserves 64 bytes through the parent, so that is an allocation too.
    assert.deepEqual(
      mine.map((s) => s.attributes),
      [
        {
          'sightline.arena.name': 'spans',
          'sightline.arena.alloc.size': 64,
          'sightline.arena.alloc.alignment': 64,
          'sightline.arena.alloc.outcome': 'ok',
          'sightline.arena.sampling.rate': 1,
          'sightline.arena.alloc.represented_bytes': 64,
          'sightline.arena.alloc.offset': 0,
        },
        {
          'sightline.arena.name': 'spans',
          'sightline.arena.alloc.size': 24,
          'sightline.arena.alloc.alignment': 16,
          'sightline.arena.alloc.outcome': 'ok',
          'sightline.arena.sampling.rate': 1,
          'sightline.arena.alloc.represented_bytes': 24,
          'sightline.arena.alloc.offset': 64,
        },
        {
          'sightline.arena.name': 'spans',
          'sightline.arena.alloc.size': 8,
          'sightline.arena.alloc.alignment': 8,
          'sightline.arena.alloc.outcome': 'ok',
          'sightline.arena.sampling.rate': 1,
          'sightline.arena.alloc.represented_bytes': 8,
          'sightline.arena.zone': 'hdr',
          'sightline.arena.alloc.offset': 0,
        },
        {
          'sightline.arena.name': 'spans',
          'sightline.arena.alloc.size': 1000,
          'sightline.arena.alloc.alignment': 8,
          'sightline.arena.alloc.outcome': 'full',
          'sightline.arena.sampling.rate': 1,
          'sightline.arena.alloc.represented_bytes': 1000,
        },
      ],
    );
    assert.equal(mine[0]?.instrumentationScope.name, '@sightline/arena');
  });

  it('parents allocation spans on the active span', () => {
    const arena = newArena('parented', { spans: true, samplingRate: 1 });
    const tracer = sdk.tracerProvider.getTracer('test');
    const parent = tracer.startSpan('request');
    context.with(trace.setSpan(context.active(), parent), () => arena.alloc(8));
    parent.end();
    const [span] = spansOf('parented');
    assert.equal(span?.parentSpanContext?.spanId, parent.spanContext().spanId);
  });

  it('records nothing with spans off, whatever the rate', () => {
    const arena = newArena('quiet', { spans: false, samplingRate: 1 });
    for (let i = 0; i < 100; i++) arena.alloc(8);
    assert.equal(spansOf('quiet').length, 0);
  });

  it('with sampling off, records a span for every allocation', () => {
    const arena = newArena('every', { spans: true, sampling: false, samplingRate: 0 });
    for (let i = 0; i < 5; i++) arena.alloc(8);
    assert.equal(spansOf('every').length, 5);
  });
});

describe('events', () => {
  it('adds grow, full and reset events to the active span', () => {
    const arena = new Arena({
      name: 'evented',
      growable: { chunkSize: 64, maxChunks: 2 },
      telemetry: { tracerProvider: sdk.tracerProvider, metrics: false, events: true },
    });
    const tracer = sdk.tracerProvider.getTracer('test');
    const parent = tracer.startSpan('frame');
    context.with(trace.setSpan(context.active(), parent), () => {
      arena.alloc(60);
      arena.alloc(60); // grows to 2 chunks
      arena.tryAlloc(60); // full
      arena.reset();
    });
    parent.end();
    const frame = sdk.spans().find((s) => s.name === 'frame');
    assert.deepEqual(
      frame?.events.map((e) => [e.name, e.attributes]),
      [
        [
          'sightline.arena.grow',
          {
            'sightline.arena.chunks': 2,
            'sightline.arena.capacity': 128,
            'sightline.arena.name': 'evented',
          },
        ],
        [
          'sightline.arena.full',
          {
            'sightline.arena.alloc.size': 60,
            'sightline.arena.used': 124,
            'sightline.arena.capacity': 128,
            'sightline.arena.name': 'evented',
          },
        ],
        [
          'sightline.arena.reset',
          { 'sightline.arena.used': 124, 'sightline.arena.name': 'evented' },
        ],
      ],
    );
  });
});

describe('pattern tracing', () => {
  it('records a span per scope with count, bytes, histogram and fingerprint; flags a changed fingerprint', () => {
    const arena = newArena('patterns', { patterns: true });
    const shapes = [
      [10, 10, 100],
      [10, 10, 100],
      [10, 200, 100],
    ];
    const summaries = shapes.map((sizes) => {
      const scope = arena.pattern('parse-request');
      for (const size of sizes) arena.alloc(size);
      const summary = scope.end();
      arena.reset();
      return summary;
    });
    assert.equal(summaries[0]?.fingerprint, summaries[1]?.fingerprint);
    assert.notEqual(summaries[1]?.fingerprint, summaries[2]?.fingerprint);
    assert.deepEqual(
      summaries.map((s) => [s?.allocations, s?.bytes, s?.histogram, s?.changed]),
      [
        [3, 120, '16:2,128:1', false],
        [3, 120, '16:2,128:1', false],
        [3, 310, '16:1,128:1,256:1', true],
      ],
    );
    const spans = sdk.spans().filter((s) => s.name === 'parse-request');
    assert.equal(spans.length, 3);
    const last = spans[2];
    assert.deepEqual(last?.attributes, {
      'sightline.arena.name': 'patterns',
      'sightline.arena.pattern.name': 'parse-request',
      'sightline.arena.pattern.allocations': 3,
      'sightline.arena.pattern.bytes': 310,
      'sightline.arena.pattern.fingerprint': summaries[2]?.fingerprint,
      'sightline.arena.pattern.histogram': '16:1,128:1,256:1',
      'sightline.arena.pattern.changed': true,
      'sightline.arena.pattern.previous_fingerprint': summaries[1]?.fingerprint,
    });
    assert.deepEqual(
      last?.events.map((e) => e.name),
      ['sightline.arena.pattern.changed'],
    );
    assert.equal(spans[0]?.attributes['sightline.arena.pattern.changed'], false);
  });

  it('works with `using`, nests allocation spans under the pattern span, and restores sampling', () => {
    const arena = newArena('using', { patterns: true, spans: true, samplingRate: 1 });
    {
      using _ = arena.pattern('decode');
      arena.alloc(8);
      arena.alloc(8);
    }
    const pattern = sdk.spans().find((s) => s.name === 'decode');
    const allocs = spansOf('using').filter((s) => s.name === 'sightline.arena.alloc');
    assert.equal(pattern?.attributes['sightline.arena.pattern.allocations'], 2);
    assert.equal(allocs.length, 2);
    for (const a of allocs)
      assert.equal(a.parentSpanContext?.spanId, pattern?.spanContext().spanId);
    arena.alloc(8); // after the scope: sampled as before (rate 1), outside the pattern
    assert.equal(spansOf('using').filter((s) => s.name === 'sightline.arena.alloc').length, 3);
    assert.equal(arena.stats().bytesAllocated, 24);
  });

  it('keeps the sampling rate exact while a pattern is open', () => {
    const arena = new Arena({
      capacity: 1 << 20,
      telemetry: { spans: true, patterns: true, metrics: false, samplingRate: 1 / 128 },
    });
    const scope = arena.pattern('steady');
    const n = 100_000;
    for (let i = 0; i < n; i++) if (arena.tryAlloc(8) === -1) arena.reset();
    const summary = scope.end();
    const p = 1 - (1 - 1 / 128) ** 8;
    const sd = Math.sqrt(n * p * (1 - p));
    assert.ok(Math.abs(arena.stats().samples - n * p) < 5 * sd, `${arena.stats().samples}`);
    assert.equal(summary?.allocations, n);
  });

  it('is a no-op scope with the patterns flag off', () => {
    const arena = newArena('nopattern', { patterns: false });
    const scope = arena.pattern('x');
    arena.alloc(8);
    assert.equal(scope.end(), undefined);
  });
});
