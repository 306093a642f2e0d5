/** Test ids of the map; e2e page objects import these. */
export const mapMarkers = {
  root: 'map',
  /**
   * On every node; carries `data-node-kind` (service | channel), `data-node-name` (exact name, e.g. to tell
   * `payments` from `payments.dlq`) and the node's name as text.
   */
  node: (id: string) => `map-node-${id}`,
  emptyState: 'map-empty',
} as const;
