// The public surface of @sightline/node/domains: every export by name (no `export *`).

export type {
  AttributeDecl,
  AttributeDecls,
  AttributeSpec,
  AttributesOf,
  AttributeType,
  AttributeValueTypes,
  ValueOf,
} from './attribute-types.js';
export { defineSpanFamily } from './define-span-family.js';
export type { FamilySchema, OperationSpec, SpanFamilyOptions } from './family-schema.js';
export { aiMemorySpans } from './presets/ai-memory.js';
export { autonomicSpans } from './presets/autonomic.js';
export { cacheSpans } from './presets/cache.js';
export { crdtSpans } from './presets/crdt.js';
export { databaseSpans } from './presets/database.js';
export { ebpfSpans } from './presets/ebpf.js';
export { federatedLearningSpans } from './presets/federated-learning.js';
export { federationSpans } from './presets/federation.js';
export { governanceSpans } from './presets/governance.js';
export { ledgerSpans } from './presets/ledger.js';
export { meshSpans } from './presets/mesh.js';
export { mlSpans } from './presets/ml.js';
export { raftSpans } from './presets/raft.js';
export { smartContractSpans } from './presets/smart-contract.js';
export { workloadIdentitySpans } from './presets/workload-identity.js';
export { DOMAINS_METER_SCOPE } from './red-metrics.js';
export type {
  OperationCallOptions,
  OperationDecorator,
  ResolvedAttribute,
  SpanFamily,
  SpanOperation,
} from './span-operation.js';
