/** What a statement does to the transaction of its session. */
export type TransactionVerb = 'begin' | 'commit' | 'rollback';

const BEGIN = /^\s*(?:BEGIN|START\s+TRANSACTION)\b/i;
const COMMIT = /^\s*(?:COMMIT|END)\s*(?:WORK|TRANSACTION)?\s*(?:AND\s+NO\s+CHAIN\s*)?;?\s*$/i;
const ROLLBACK = /^\s*(?:ROLLBACK|ABORT)\s*(?:WORK|TRANSACTION)?\s*(?:AND\s+NO\s+CHAIN\s*)?;?\s*$/i;

/**
 * Recognises `BEGIN`/`START TRANSACTION`, `COMMIT`/`END` and `ROLLBACK`/`ABORT` (not
 * `ROLLBACK TO SAVEPOINT`, which keeps the transaction open, nor `... AND CHAIN`).
 *
 * @example
 * ```ts
 * transactionVerb('begin isolation level serializable'); // 'begin'
 * transactionVerb('ROLLBACK TO SAVEPOINT a'); // undefined
 * ```
 */
export function transactionVerb(text: string): TransactionVerb | undefined {
  if (text.length > 200) return undefined;
  if (BEGIN.test(text)) return 'begin';
  if (COMMIT.test(text)) return 'commit';
  if (ROLLBACK.test(text)) return 'rollback';
  return undefined;
}
