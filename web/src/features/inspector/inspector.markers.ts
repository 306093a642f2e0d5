/** Test ids of the inspector; e2e page objects import these. */
export const inspectorMarkers = {
  root: 'inspector',
  close: 'inspector-close',
  /** Link to the trace view of the inspected event's flow. */
  traceFlow: 'inspector-trace-flow',
  tab: (name: 'payload' | 'headers' | 'metadata') => `inspector-tab-${name}`,
  payloadSection: 'inspector-payload',
  headersSection: 'inspector-headers',
  metadataSection: 'inspector-metadata',
  jsonTree: 'inspector-json',
  hexDump: 'inspector-hex',
  textPayload: 'inspector-text',
  emptyPayload: 'inspector-empty-payload',
  payloadNote: 'inspector-payload-note',
  truncated: 'inspector-truncated',
  copyPayload: 'inspector-copy-payload',
  status: 'inspector-status',
} as const;
