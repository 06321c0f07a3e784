import type { EventEmitter } from 'node:events';
import { type Context, context as contextApi } from '@opentelemetry/api';
import { warnOnce } from '../diagnostics/warn-once.js';

/**
 * Makes the listeners of `emitter` run in `context` (default: the context active now) instead of
 * the context of whoever emits. Sockets, streams and pools emit from wherever their I/O happens to
 * complete, so without this a listener may see another request's span, or none.
 *
 * Only listeners added after the call are bound, and an emitter binds once: a second call keeps
 * the first context (the context manager patches the emitter's methods in place). With no SDK
 * registered this does nothing. Never throws: a value that is not an EventEmitter is reported
 * once through `diag` and returned as is.
 *
 * @example
 * ```ts
 * await withSpan('import file', async () => {
 *   const parser = bindEmitter(createParser());
 *   parser.on('row', (row) => withSpan('import row', () => save(row))); // child of 'import file'
 *   await pipeline(createReadStream(path), parser);
 * });
 * ```
 */
export function bindEmitter<E extends EventEmitter>(emitter: E, context?: Context): E {
  if (typeof emitter !== 'object' || emitter === null || typeof emitter.on !== 'function') {
    warnOnce(
      'bindEmitter:emitter',
      `bindEmitter() was given ${typeof emitter} instead of an EventEmitter`,
    );
    return emitter;
  }
  return contextApi.bind(context ?? contextApi.active(), emitter);
}
