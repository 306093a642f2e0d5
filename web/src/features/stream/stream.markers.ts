/** Test ids of the stream; e2e page objects import these. */
export const streamMarkers = {
  root: 'stream',
  list: 'stream-list',
  /** On every event row; carries `data-event-id`. */
  row: 'stream-row',
  gapRow: 'stream-gap',
  emptyState: 'stream-empty',
  filterInput: 'stream-filter',
  /** Text/expression toggle; `aria-pressed` and `data-mode` tell which. */
  filterModeToggle: 'stream-filter-mode',
  /** Why the expression in the filter box does not compile, with excerpt and caret. */
  filterError: 'stream-filter-error',
  /** Text mode: "Looks like an expression — switch?". */
  filterHint: 'stream-filter-hint',
  filterHelpButton: 'stream-filter-help-button',
  filterHelp: 'stream-filter-help',
  nodeFilterChip: 'stream-node-filter',
  pauseButton: 'stream-pause',
  newEventsButton: 'stream-new-events',
} as const;
