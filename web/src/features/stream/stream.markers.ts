/** Test ids of the stream; e2e page objects import these. */
export const streamMarkers = {
  root: 'stream',
  list: 'stream-list',
  /** On every event row; carries `data-event-id`. */
  row: 'stream-row',
  gapRow: 'stream-gap',
  emptyState: 'stream-empty',
  filterInput: 'stream-filter',
  nodeFilterChip: 'stream-node-filter',
  pauseButton: 'stream-pause',
  newEventsButton: 'stream-new-events',
} as const;
