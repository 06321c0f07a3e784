// Quoted names after these words are schema objects, worth keeping; any other quoted text is data.
const IDENTIFIER_KINDS =
  /(?:relation|table|column|constraint|index|schema|database|function|type|role|sequence|view|operator|extension|trigger|savepoint|cursor|statement|portal)\s*$/i;

/**
 * A database error message fit for a span status: quoted values become `"?"`, quoted object names
 * (`relation "users"`, `constraint "users_email_key"`) stay, and the message is bounded.
 *
 * @example
 * ```ts
 * sanitizeDbErrorMessage('invalid input syntax for type integer: "4111 1111"');
 * // => 'invalid input syntax for type integer: "?"'
 * ```
 */
export function sanitizeDbErrorMessage(message: string): string {
  const text = message.length > 500 ? `${message.slice(0, 500)}…` : message;
  return text.replace(/"(?:[^"]|"")*"?/g, (quoted, offset: number) =>
    IDENTIFIER_KINDS.test(text.slice(Math.max(0, offset - 24), offset)) ? quoted : '"?"',
  );
}
