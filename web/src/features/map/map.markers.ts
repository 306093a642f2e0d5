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
  /**
   * On every edge; carries `data-edge-kind` (produces | consumes), `data-edge-from` and `data-edge-to` (node
   * names) and `data-lag-level` (none | ok | warn | unknown).
   */
  edge: 'map-edge',
  /** The edge's label text (rate, and lag for consumer groups). */
  edgeLabel: 'map-edge-label',
  /** The element whose `<title>` is the edge's tooltip. */
  edgeTooltip: 'map-edge-tooltip',
  emptyState: 'map-empty',
  /** The evidence toggles; each carries `data-evidence` (the kind) and `aria-pressed` (shown). */
  evidenceFilter: 'map-evidence-filter',
  evidenceToggle: 'map-evidence-toggle',
  hiddenEdges: 'map-hidden-edges',
  /** The consumer group panel of the clicked service. */
  groupPanel: 'map-group-panel',
  groupPanelClose: 'map-group-panel-close',
  /** One consumer group in the panel; carries `data-group-id`. */
  group: 'map-group',
  groupLag: 'map-group-lag',
  groupMembers: 'map-group-members',
  groupSparkline: 'map-group-sparkline',
  /** A row of the lag table; carries `data-topic` and `data-partition`. */
  partitionRow: 'map-group-partition',
} as const;
