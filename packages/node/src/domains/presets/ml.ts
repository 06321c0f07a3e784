import { defineSpanFamily } from '../define-span-family.js';

const model = { type: 'string', required: true, key: 'gen_ai.request.model' } as const;

/**
 * Machine learning: inference, training and accuracy evaluation. The model, provider, token usage
 * and evaluation score use the `gen_ai.*` semantic conventions (now maintained in the GenAI
 * conventions repository); training parameters have none and live under `ml.*`.
 *
 * @example
 * ```ts
 * const labels = await mlSpans.inference({ model: 'resnet-50', batchSize: images.length }, () =>
 *   session.run(images),
 * );
 * ```
 */
export const mlSpans = defineSpanFamily('ml', {
  inference: {
    attributes: {
      model,
      provider: { type: 'string', key: 'gen_ai.provider.name' },
      operation: { type: 'string', key: 'gen_ai.operation.name' },
      temperature: { type: 'double', key: 'gen_ai.request.temperature' },
      inputTokens: { type: 'int', key: 'gen_ai.usage.input_tokens' },
      outputTokens: { type: 'int', key: 'gen_ai.usage.output_tokens' },
      batchSize: 'int',
    },
  },
  training: {
    attributes: {
      model,
      framework: 'string',
      epochs: 'int',
      samples: 'int',
      learningRate: 'double',
      loss: 'double',
    },
  },
  accuracyEvaluation: {
    attributes: {
      model,
      evaluation: { type: 'string', key: 'gen_ai.evaluation.name' },
      score: { type: 'double', key: 'gen_ai.evaluation.score.value' },
      dataset: 'string',
      datasetSize: 'int',
    },
  },
});
