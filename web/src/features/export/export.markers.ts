/** Test ids of the export buttons; e2e page objects import these. */
export const exportMarkers = {
  /** A download link or button; carries `data-export` (what it exports: flow-mermaid, flow-ndjson, map-svg, …). */
  button: 'export-button',
  /** The group of export buttons of a view; carries `data-export-scope` (trace | map | catalog | kind). */
  group: 'export-group',
  /** Says why an export failed. */
  error: 'export-error',
} as const;
