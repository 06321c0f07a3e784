import { defineSpanFamily } from '../define-span-family.js';

const proposalId = { type: 'string', required: true } as const;

/**
 * Governance (a DAO, a change board): creating and executing proposals, casting votes and
 * checking quorum. No semantic convention covers these, so every attribute is `governance.*`.
 *
 * @example
 * ```ts
 * const reached = governanceSpans.quorumCheck({ proposalId: 'P-42', quorum: 0.4 }, (span) => {
 *   const result = tally(votes);
 *   governanceSpans.quorumCheck.setAttributes(span, { participation: result.turnout, reached: result.ok });
 *   return result.ok;
 * });
 * ```
 */
export const governanceSpans = defineSpanFamily('governance', {
  proposalCreation: {
    attributes: {
      proposalId,
      proposer: 'string',
      proposalType: 'string',
      votingPeriodSeconds: 'double',
    },
  },
  proposalExecution: { attributes: { proposalId, actionCount: 'int', executed: 'bool' } },
  vote: { attributes: { proposalId, voter: 'string', choice: 'string', weight: 'double' } },
  quorumCheck: {
    attributes: {
      proposalId,
      quorum: 'double',
      participation: 'double',
      votesFor: 'int',
      votesAgainst: 'int',
      votesAbstain: 'int',
      reached: 'bool',
    },
  },
});
