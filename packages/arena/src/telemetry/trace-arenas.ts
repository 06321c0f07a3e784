import type { Attributes, Context, Span } from '@opentelemetry/api';
import type { Arena } from '../arena.js';
import { invalidOption } from '../errors.js';
import type { ParentEntry } from './arena-telemetry.js';
import { loadApi } from './load-api.js';

/**
 * An operation over several arenas: one span, with one child span per arena whose `distributed`
 * flag is on. End it with `end()` or `using`.
 */
export interface ArenaOperation extends Disposable {
  readonly name: string;
  /** Runs `fn` with the operation's span active, so spans the app starts inside nest under it. */
  run<T>(fn: () => T): T;
  /** Ends the child spans (with what each arena did meanwhile) and then the operation's span. */
  end(): void;
}

interface Participant {
  arena: Arena;
  entry: ParentEntry;
  allocations: number;
  bytes: number;
  failures: number;
}

/**
 * Records an operation that spans several arenas as one trace: a span named `name` (a child of
 * the active span) with a child span `arena <name>` per participating arena. While it is open,
 * each arena's sampled allocation spans, pattern spans and events nest under its child span; at
 * the end each child carries the allocations, bytes and failures of its arena during the
 * operation. Arenas without the `distributed` flag (or with no OpenTelemetry API) take no part; with
 * none taking part this is a no-op.
 *
 * @example
 * ```ts
 * {
 *   using op = traceArenas('decode-batch', [headers, bodies]);
 *   op.run(() => decodeBatch(headers, bodies));
 * } // span decode-batch → arena headers, arena bodies
 * ```
 */
export function traceArenas(
  name: string,
  arenas: readonly Arena[],
  attributes: Record<string, string | number | boolean> = {},
): ArenaOperation {
  if (typeof name !== 'string' || name.length === 0) {
    invalidOption('traceArenas.name', name, 'a non-empty string');
  }
  if (!Array.isArray(arenas)) invalidOption('traceArenas.arenas', arenas, 'an array of arenas');
  const api = loadApi();
  const taking = arenas.filter((a) => a?._tel?.flags.distributed && a._tel.tracer);
  const tracer = taking[0]?._tel?.tracer;
  if (!api || !tracer) return noopOperation(name);
  let span: Span;
  let context: Context;
  const participants: Participant[] = [];
  try {
    span = tracer.startSpan(name, {
      kind: api.SpanKind.INTERNAL,
      attributes: { ...attributes, 'sightline.arena.count': taking.length },
    });
    context = api.trace.setSpan(api.context.active(), span);
    for (const arena of taking) {
      const label = arena.zoneName === undefined ? arena.name : `${arena.name}/${arena.zoneName}`;
      const childAttributes: Attributes = { 'sightline.arena.name': arena.name };
      if (arena.zoneName !== undefined) childAttributes['sightline.arena.zone'] = arena.zoneName;
      const child = tracer.startSpan(
        `arena ${label}`,
        { kind: api.SpanKind.INTERNAL, attributes: childAttributes },
        context,
      );
      const entry = { span: child, context: api.trace.setSpan(context, child) };
      arena._tel?.pushParent(entry);
      participants.push({
        arena,
        entry,
        allocations: arena._allocs,
        bytes: arena.bytesAllocated,
        failures: arena._failures,
      });
    }
  } catch (error) {
    for (const p of participants) p.arena._tel?.removeParent(p.entry);
    api.diag.warn('@sightline/arena: traceArenas could not start its spans', error);
    return noopOperation(name);
  }
  let ended = false;
  const end = (): void => {
    if (ended) return;
    ended = true;
    try {
      for (const p of participants) {
        const { arena } = p;
        arena._tel?.removeParent(p.entry);
        p.entry.span.setAttributes({
          'sightline.arena.allocations': arena._allocs - p.allocations,
          'sightline.arena.allocated': arena.bytesAllocated - p.bytes,
          'sightline.arena.failures': arena._failures - p.failures,
          'sightline.arena.used': arena.used,
          'sightline.arena.capacity': arena.capacity,
        });
        p.entry.span.end();
      }
      span.end();
    } catch (error) {
      api.diag.warn('@sightline/arena: traceArenas could not end its spans', error);
    }
  };
  return {
    name,
    run: (fn) => api.context.with(context, fn),
    end,
    [Symbol.dispose]: end,
  };
}

function noopOperation(name: string): ArenaOperation {
  return {
    name,
    run: (fn) => fn(),
    end: () => {},
    [Symbol.dispose]: () => {},
  };
}
