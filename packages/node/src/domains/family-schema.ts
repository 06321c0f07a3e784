import type { Attributes, SpanKind, Tracer } from '@opentelemetry/api';
import type { AttributeDecls } from './attribute-types.js';

/** One operation of a span family. */
export interface OperationSpec {
  /** The span name. Default `${prefix}.${snake_case(operation)}`, e.g. `raft.leader_election`. */
  name?: string;
  /** One of the five span kinds. Default INTERNAL. */
  kind?: SpanKind;
  /** The typed attributes a call passes, by the name callers use. */
  attributes?: AttributeDecls;
  /** Attributes every span of this operation carries, e.g. `{ 'gen_ai.operation.name': 'embeddings' }`. */
  constants?: Attributes;
}

/** The operations of a family, by camelCase name: `{ leaderElection: { ... }, commit: { ... } }`. */
export type FamilySchema = { readonly [operation: string]: OperationSpec };

/** Options of `defineSpanFamily`. */
export interface SpanFamilyOptions {
  /**
   * Record the RED metrics `${prefix}.operation.duration` and `${prefix}.operation.count`.
   * Default true.
   */
  metrics?: boolean;
  /** The tracer (or instrumentation scope name) for the family's spans. Default `@sightline/node`. */
  tracer?: Tracer | string;
  /**
   * Check attribute values at run time, warning once and dropping a wrong value. Default: on
   * unless `NODE_ENV` is `production` when the family is defined.
   */
  typeChecks?: boolean;
}
