import { defineSpanFamily } from '../define-span-family.js';

const loop = { type: 'string', required: true } as const;

/**
 * The MAPE-K autonomic loop: monitor, analyze, plan, execute over shared knowledge, and the whole
 * cycle as the parent of the four phases. No semantic convention covers control loops, so every
 * attribute lives under `autonomic.*`.
 *
 * @example
 * ```ts
 * await autonomicSpans.cycle({ loop: 'autoscaler', iteration: n }, async () => {
 *   const samples = await autonomicSpans.monitor({ loop: 'autoscaler', target: 'api' }, collect);
 *   const symptoms = autonomicSpans.analyze({ loop: 'autoscaler' }, () => detect(samples));
 * });
 * ```
 */
export const autonomicSpans = defineSpanFamily('autonomic', {
  monitor: { attributes: { loop, target: 'string', sampleCount: 'int' } },
  analyze: {
    attributes: { loop, symptomCount: 'int', anomalyDetected: 'bool', anomalyScore: 'double' },
  },
  plan: { attributes: { loop, strategy: 'string', actionCount: 'int' } },
  execute: {
    attributes: {
      loop,
      action: { type: 'string', required: true },
      target: 'string',
      dryRun: 'bool',
    },
  },
  knowledgeUpdate: { attributes: { loop, source: 'string', entryCount: 'int' } },
  cycle: { attributes: { loop, iteration: 'int', phases: 'string[]' } },
});
