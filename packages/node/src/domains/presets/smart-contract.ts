import { SpanKind } from '@opentelemetry/api';
import { defineSpanFamily } from '../define-span-family.js';

/**
 * Smart contracts: calling a contract method and deploying a contract, both CLIENT spans towards
 * the chain's node. No semantic convention covers blockchains, so the attributes are
 * `smart_contract.*`.
 *
 * @example
 * ```ts
 * const receipt = await smartContractSpans.call(
 *   { address: token.address, method: 'transfer', chainId: 1 },
 *   () => token.transfer(to, amount),
 * );
 * ```
 */
export const smartContractSpans = defineSpanFamily('smart_contract', {
  call: {
    kind: SpanKind.CLIENT,
    attributes: {
      address: { type: 'string', required: true },
      method: 'string',
      chainId: 'int',
      readOnly: 'bool',
      gasLimit: 'int',
      gasUsed: 'int',
      transactionHash: 'string',
    },
  },
  deploy: {
    kind: SpanKind.CLIENT,
    attributes: {
      contractName: 'string',
      chainId: 'int',
      bytecodeBytes: 'int',
      gasUsed: 'int',
      address: 'string',
      transactionHash: 'string',
    },
  },
});
