/** Key/value attributes as a two-column table. Keys and values are untrusted: text nodes only. */
import type { Attributes } from '../api/client.js';
import { formatValue } from '../format/format.js';

export function AttributesTable({
  attributes,
  empty = 'none',
}: {
  attributes: Attributes;
  empty?: string;
}) {
  const keys = Object.keys(attributes).sort();
  if (keys.length === 0) return <p class="muted">{empty}</p>;
  return (
    <table class="kv">
      <tbody>
        {keys.map((key) => (
          <tr key={key}>
            <th>{key}</th>
            <td>{formatValue(attributes[key])}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
