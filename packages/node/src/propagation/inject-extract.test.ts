import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import {
  type Context,
  context,
  DiagLogLevel,
  diag,
  propagation,
  ROOT_CONTEXT,
  type SpanContext,
  trace,
} from '@opentelemetry/api';
import type { SightlineHandle } from '../lifecycle/handle.js';
import { init } from '../lifecycle/init.js';
import { withSpan } from '../spans/with-span.js';
import { getBaggage, setBaggage } from './baggage.js';
import type { Carrier } from './carriers.js';
import { extract, inject } from './inject-extract.js';

const REMOTE: SpanContext = {
  traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
  spanId: '00f067aa0ba902b7',
  traceFlags: 1,
};

/** A context holding a remote parent and one baggage entry, as a service would hold mid-request. */
function sourceContext(): Context {
  return setBaggage({ tenant: 'acme corp' }, trace.setSpanContext(ROOT_CONTEXT, REMOTE));
}

function captureWarnings(): { warnings: string[]; restore: () => void } {
  const warnings: string[] = [];
  const ignore = () => {};
  diag.setLogger(
    { error: ignore, warn: (m) => warnings.push(m), info: ignore, debug: ignore, verbose: ignore },
    { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true },
  );
  return { warnings, restore: () => diag.disable() };
}

describe('inject and extract with the propagator init() registers', () => {
  let sightline: SightlineHandle;
  before(() => {
    sightline = init({
      traces: { exporters: ['none'] },
      metrics: { exporters: ['none'] },
      logs: { exporters: ['none'] },
      shutdown: { handleSignals: false },
    });
  });
  after(() => sightline.shutdown());

  const carriers: Array<[string, () => Carrier]> = [
    ['a header object', () => ({})],
    ['WHATWG Headers', () => new Headers()],
    ['a Map', () => new Map<string, string>()],
    ['[name, value] pairs', () => [['content-type', 'application/json']]],
  ];
  for (const [name, create] of carriers) {
    it(`round-trips the trace id and baggage through ${name}`, () => {
      const carrier = inject(create(), sourceContext());
      const back = extract(carrier, ROOT_CONTEXT);
      const spanContext = trace.getSpanContext(back);
      assert.equal(spanContext?.traceId, REMOTE.traceId);
      assert.equal(spanContext?.spanId, REMOTE.spanId);
      assert.equal(spanContext?.isRemote, true);
      assert.equal(getBaggage('tenant', back), 'acme corp');
    });
  }

  it('writes W3C traceparent and baggage by default', () => {
    assert.deepEqual(inject({}, sourceContext()), {
      traceparent: `00-${REMOTE.traceId}-${REMOTE.spanId}-01`,
      baggage: 'tenant=acme%20corp',
    });
  });

  it('appends to message pairs and keeps what was there', () => {
    const pairs: Array<[string, string]> = [['content-type', 'application/json']];
    inject(pairs, sourceContext());
    assert.deepEqual(pairs, [
      ['content-type', 'application/json'],
      ['traceparent', `00-${REMOTE.traceId}-${REMOTE.spanId}-01`],
      ['baggage', 'tenant=acme%20corp'],
    ]);
  });

  it('extracts header names in any letter case', () => {
    const carriers: Carrier[] = [
      { TraceParent: `00-${REMOTE.traceId}-${REMOTE.spanId}-01` },
      [['TRACEPARENT', `00-${REMOTE.traceId}-${REMOTE.spanId}-01`]],
      new Map([['Traceparent', `00-${REMOTE.traceId}-${REMOTE.spanId}-01`]]),
    ];
    for (const carrier of carriers) {
      assert.equal(trace.getSpanContext(extract(carrier, ROOT_CONTEXT))?.traceId, REMOTE.traceId);
    }
  });

  it('uses the active context by default', () => {
    withSpan('outgoing', (span) => {
      const headers = inject({});
      assert.equal(
        headers.traceparent,
        `00-${span.spanContext().traceId}-${span.spanContext().spanId}-01`,
      );
      const base = extract({ baggage: 'k=v' });
      assert.equal(
        trace.getSpanContext(base)?.spanId,
        span.spanContext().spanId,
        'kept the active span',
      );
      assert.equal(getBaggage('k', base), 'v');
    });
  });

  it('carries a trace over real HTTP: fetch with Headers in, IncomingHttpHeaders out', async () => {
    let received: IncomingHttpHeaders | undefined;
    const server = createServer((req, res) => {
      received = req.headers;
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      await context.with(sourceContext(), () =>
        fetch(`http://127.0.0.1:${port}/`, { headers: inject(new Headers()) }),
      );
      assert.ok(received);
      const parent = extract(received, ROOT_CONTEXT);
      assert.equal(trace.getSpanContext(parent)?.traceId, REMOTE.traceId);
      assert.equal(getBaggage('tenant', parent), 'acme corp');
    } finally {
      server.close();
    }
  });

  it('never throws: an unsupported carrier warns once and leaves context and carrier alone', () => {
    const { warnings, restore } = captureWarnings();
    try {
      const base = sourceContext();
      class Message {
        body = 'x';
      }
      const message = new Message();
      assert.equal(extract(message as unknown as Carrier, base), base);
      assert.equal(extract('traceparent' as unknown as Carrier, base), base);
      assert.equal(inject(message as unknown as Carrier, base), message);
      assert.deepEqual({ ...message }, { body: 'x' });
      inject(42 as unknown as Carrier, base);
      assert.equal(warnings.filter((w) => w.includes('extract()')).length, 1);
      assert.equal(warnings.filter((w) => w.includes('inject()')).length, 1);
      assert.match(warnings.join('\n'), /instance of Message/);
    } finally {
      restore();
    }
  });

  it('returns the context unchanged, silently, for a message without headers', () => {
    const { warnings, restore } = captureWarnings();
    try {
      const base = sourceContext();
      assert.equal(extract(undefined, base), base);
      assert.equal(extract(null, base), base);
      assert.deepEqual(warnings, []);
    } finally {
      restore();
    }
  });

  it('never throws when the carrier itself throws', () => {
    const { restore } = captureWarnings();
    try {
      class ReadOnlyMap extends Map<string, string> {
        override set(): this {
          throw new Error('read-only');
        }
        override has(): boolean {
          throw new Error('broken');
        }
      }
      const carrier = new ReadOnlyMap();
      assert.doesNotThrow(() => inject(carrier, sourceContext()));
      const back = extract(carrier, ROOT_CONTEXT);
      assert.equal(trace.getSpanContext(back), undefined);
      assert.equal(propagation.getBaggage(back), undefined);
    } finally {
      restore();
    }
  });
});
