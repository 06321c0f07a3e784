import { invalidOption } from '../errors.js';
import { createOperation } from './create-operation.js';
import type { FamilySchema, SpanFamilyOptions } from './family-schema.js';
import { RedMetrics } from './red-metrics.js';
import { type ResolvedOperation, resolveOperation } from './resolve-operation.js';
import type { FamilyRuntime } from './run-operation.js';
import type { SpanFamily } from './span-operation.js';

const PREFIX = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/;

/**
 * Defines a family of related operations (the steps of a Raft node, the calls of a cache) and
 * returns one typed helper per operation. A helper runs a callback in a span named
 * `${prefix}.${snake_case(operation)}` with the declared kind and attributes, with the error and
 * ending semantics of `withSpan`, and records the RED metrics `${prefix}.operation.duration` (s)
 * and `${prefix}.operation.count` unless `metrics: false`.
 *
 * Attribute names are namespaced (`term` → `raft.term`) unless the schema gives a `key` (e.g. a
 * semantic-convention key). Values are typed from the schema, so a wrong type does not compile; in
 * development (`NODE_ENV` not `production` when the family is defined) a wrong value that reaches
 * run time anyway is dropped and reported once through `diag`. Throws `SIGHTLINE_ERR_INVALID_OPTION`
 * for an invalid prefix or schema, at definition time only.
 *
 * @example
 * ```ts
 * const raft = defineSpanFamily('raft', {
 *   leaderElection: {
 *     attributes: { term: { type: 'int', required: true }, candidate: 'string', peers: 'string[]' },
 *   },
 *   commit: { attributes: { index: { type: 'int', required: true } } },
 * });
 *
 * await raft.leaderElection({ term: 7, candidate: 'node-2' }, async (span) => {
 *   await requestVotes();                               // span "raft.leader_election"
 * });
 *
 * class Node {
 *   @raft.commit.traced((self: Node, [index]: [number]) => ({ index }))
 *   async commit(index: number) { ... }
 * }
 * ```
 */
export function defineSpanFamily<const S extends FamilySchema>(
  prefix: string,
  schema: S,
  options: SpanFamilyOptions = {},
): SpanFamily<S> {
  if (typeof prefix !== 'string' || !PREFIX.test(prefix))
    invalidOption(
      'defineSpanFamily(prefix)',
      prefix,
      'a lowercase snake_case namespace such as "raft"',
    );
  if (schema === null || typeof schema !== 'object')
    invalidOption(`defineSpanFamily("${prefix}", schema)`, schema, 'an object of operations');
  const entries = Object.entries(schema);
  const resolved = entries.map(([name, spec]) => resolveOperation(prefix, name, spec));
  const operations = resolved.map((op) => op.operation);
  operations.forEach((operation, index) => {
    if (operations.indexOf(operation) !== index)
      invalidOption(
        `defineSpanFamily("${prefix}")`,
        entries[index]?.[0],
        'operation names that differ in snake_case',
      );
  });
  const runtime: FamilyRuntime = {
    tracer: options.tracer,
    checks: options.typeChecks ?? process.env.NODE_ENV !== 'production',
    metrics: options.metrics === false ? undefined : new RedMetrics(prefix, operations),
  };
  const family: Record<string, unknown> = {};
  entries.forEach(([name], index) => {
    family[name] = createOperation(resolved[index] as ResolvedOperation, index, runtime);
  });
  return Object.freeze(family) as SpanFamily<S>;
}
