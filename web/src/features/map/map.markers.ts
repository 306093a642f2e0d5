/** Test ids of the map; e2e page objects import these. */
export const mapMarkers = {
  root: 'map',
  /**
   * On every node; carries `data-node-kind` (service | channel), `data-node-name` (exact name, e.g. to tell
   * `payments` from `payments.dlq`), the node's name as text, and `data-has-note` when someone wrote a note on it.
   */
  node: (id: string) => `map-node-${id}`,
  /** Inside a node with a note: its title (truncated); the full note is in its `title` and the node's label. */
  nodeNote: 'map-node-note',
  /** On a service node the insights measured: how far behind it runs (`runs 120 ms behind (p95)`). */
  nodeBehind: 'map-node-behind',
  /**
   * On every edge; carries `data-edge-kind` (produces | consumes | routes), `data-edge-from` and `data-edge-to`
   * (node names), `data-edge-evidence` (its evidence kinds, space-separated) and `data-lag-level` (none | ok |
   * warn | unknown).
   */
  edge: 'map-edge',
  /** The edge's label text (rate, lag for consumers the broker reports, a route's keys). */
  edgeLabel: 'map-edge-label',
  /** The element whose `<title>` is the edge's tooltip. */
  edgeTooltip: 'map-edge-tooltip',
  emptyState: 'map-empty',
  /** Says what a bounded map grouped or left out (a map with more services or channels than it draws). */
  boundNotice: 'map-bound-notice',
  /** The evidence toggles; each carries `data-evidence` (the kind) and `aria-pressed` (shown). */
  evidenceFilter: 'map-evidence-filter',
  evidenceToggle: 'map-evidence-toggle',
  hiddenEdges: 'map-hidden-edges',
  /** The consumer panel of the clicked service: its consumers on every broker. */
  consumerPanel: 'map-group-panel',
  consumerPanelClose: 'map-group-panel-close',
  /** One consumer in the panel; carries `data-consumer-id` and `data-consumer-kind` (consumer-group, queue, …). */
  consumer: 'map-group',
  /** Its total lag, in messages (records on Kafka). */
  consumerLag: 'map-group-lag',
  /** How long the oldest waiting message has waited, when the broker tells. */
  consumerLagAge: 'map-consumer-lag-age',
  /** Messages delivered but not yet acknowledged, when the broker tells. */
  consumerUnacked: 'map-consumer-unacked',
  consumerMembers: 'map-group-members',
  consumerSparkline: 'map-group-sparkline',
  /** One channel the consumer reads, with its lag; carries `data-channel`. */
  consumerChannel: 'map-consumer-channel',
  /** A row of a channel's per-partition lag table (brokers with partitions); carries `data-channel` and `data-partition`. */
  partitionRow: 'map-group-partition',
} as const;
