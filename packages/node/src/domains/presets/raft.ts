import { defineSpanFamily } from '../define-span-family.js';

const term = { type: 'int', required: true } as const;

/**
 * Raft consensus: replicating log entries, electing a leader, committing entries.
 *
 * @example
 * ```ts
 * const won = await raftSpans.leaderElection({ term: 7, candidate: 'node-2', peers }, async (span) => {
 *   const votes = await requestVotes(peers);
 *   raftSpans.leaderElection.setAttributes(span, { votesReceived: votes, won: votes > peers.length / 2 });
 *   return votes > peers.length / 2;
 * });
 * ```
 */
export const raftSpans = defineSpanFamily('raft', {
  logReplication: {
    attributes: {
      term,
      leaderId: 'string',
      entryCount: 'int',
      prevLogIndex: 'int',
      peers: 'string[]',
      acknowledged: 'int',
    },
  },
  leaderElection: {
    attributes: { term, candidate: 'string', peers: 'string[]', votesReceived: 'int', won: 'bool' },
  },
  commit: {
    attributes: { term: 'int', commitIndex: { type: 'int', required: true }, entryCount: 'int' },
  },
});
