import { defineSpanFamily } from '../define-span-family.js';

const store = { type: 'string', key: 'gen_ai.data_source.id' } as const;

/**
 * Memory for AI agents: recalling, learning, extracting concepts, traversing the knowledge graph
 * and embedding text. The store, model, token usage and embedding size use the `gen_ai.*`
 * semantic conventions; `embedding` spans carry `gen_ai.operation.name = embeddings`. The recall
 * query (`gen_ai.retrieval.query.text`) may hold personal data: pass it only if that is acceptable.
 *
 * @example
 * ```ts
 * const vector = await aiMemorySpans.embedding({ model: 'text-embedding-3-small', dimensions: 1536 }, () =>
 *   embed(text),
 * );
 * ```
 */
export const aiMemorySpans = defineSpanFamily('ai_memory', {
  recall: {
    attributes: {
      store,
      query: { type: 'string', key: 'gen_ai.retrieval.query.text' },
      topK: 'int',
      resultCount: 'int',
      minScore: 'double',
    },
  },
  learn: { attributes: { store, source: 'string', itemCount: 'int' } },
  conceptExtraction: {
    attributes: {
      model: { type: 'string', key: 'gen_ai.request.model' },
      inputTokens: { type: 'int', key: 'gen_ai.usage.input_tokens' },
      conceptCount: 'int',
      concepts: 'string[]',
    },
  },
  graphTraversal: {
    attributes: { startNode: 'string', algorithm: 'string', maxDepth: 'int', visitedNodes: 'int' },
  },
  embedding: {
    attributes: {
      model: { type: 'string', required: true, key: 'gen_ai.request.model' },
      provider: { type: 'string', key: 'gen_ai.provider.name' },
      dimensions: { type: 'int', key: 'gen_ai.embeddings.dimension.count' },
      inputTokens: { type: 'int', key: 'gen_ai.usage.input_tokens' },
      inputCount: 'int',
    },
    constants: { 'gen_ai.operation.name': 'embeddings' },
  },
});
