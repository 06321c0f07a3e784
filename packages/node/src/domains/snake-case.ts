/**
 * `leaderElection` → `leader_election`, `svidIssue` → `svid_issue`, `parseHTTPRequest` →
 * `parse_http_request`. Operation and attribute names become span-name and attribute-key segments
 * in the snake_case the semantic conventions use.
 */
export function snakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}
