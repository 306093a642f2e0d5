/** Test ids of the trace view; e2e page objects import these. */
export const traceMarkers = {
  searchPage: 'trace-search',
  searchInput: 'trace-search-input',
  suggestions: 'trace-suggestions',
  /** One per suggestion; carries `data-flow-id` and `aria-selected` for the active one. */
  suggestionItem: 'trace-suggestion',
  results: 'trace-results',
  /** One per matching flow; carries `data-flow-id` and `data-status`. */
  resultItem: 'trace-result',
  /** No search yet: what can be typed, with examples (`data-value` on each example). */
  searchEmpty: 'trace-search-empty',
  searchExample: 'trace-search-example',
  noFlowFound: 'trace-no-flow',
  searchError: 'trace-search-error',

  /** The open flow; carries `data-flow-id` (canonical) and `data-status`. */
  flowPage: 'trace-flow',
  flowError: 'trace-flow-error',
  /** Opens the tour of the flow. */
  tourLink: 'trace-tour-link',
  flowHeader: 'trace-flow-header',
  /** The flow's trace in the user's tracing UI (`--trace-url`); without one, the bare `traceId`. */
  traceLink: 'trace-link',
  /** Says the flow is shown as it was at a past moment (`data-at`). */
  pastMoment: 'trace-past-moment',
  /** The history of one entity (`/entity`). */
  entityPage: 'entity-page',
  entityInput: 'entity-input',
  entitySteps: 'entity-steps',
  /** One step in the list; `data-event-id`. */
  entityStep: 'entity-step',
  entityDetail: 'entity-detail',
  entityChanges: 'entity-changes',
  entityState: 'entity-state',
  entityStale: 'entity-stale',
  entityEmpty: 'entity-empty',
  /** A key chip's link to its entity's history. */
  entityLink: 'entity-link',
  traceId: 'trace-id',
  /** Carries `data-status`: open | completed | failed | stuck. */
  statusBadge: 'trace-status',
  deadLetterBadge: 'trace-dead-lettered',
  liveBadge: 'trace-live',
  keyChip: 'trace-key',
  /** One per anomaly; carries `data-kind` and, when it concerns an event, `data-event-id`. */
  anomalyItem: 'trace-anomaly',
  /** Holds the note on the flow's kind (the catalog's note block, `data-target` = `kind:<kind>`). */
  kindNote: 'trace-kind-note',
  viewTab: (view: 'timeline' | 'sequence') => `trace-view-${view}`,

  timelineRoot: 'trace-timeline',
  laneToggle: 'trace-lanes',
  zoomIn: 'trace-zoom-in',
  zoomOut: 'trace-zoom-out',
  zoomFit: 'trace-zoom-fit',
  /** Carries `data-lane` (service or channel name). */
  lane: 'trace-lane',
  /** Carries `data-event-id`, `data-event-type`, `data-severity` and `aria-pressed` when selected. */
  timelineMark: 'trace-timeline-mark',
  /** On a mark whose step has a note (the mark carries `data-has-note` and the note in its label). */
  timelineNote: 'trace-timeline-note',
  /** A hop's latency; carries `data-from`, `data-to` and `data-inferred`. */
  hopLabel: 'trace-hop-label',
  tooltip: 'trace-tooltip',

  sequenceRoot: 'trace-sequence',
  /** Carries `data-participant`. */
  participant: 'trace-participant',
  /** One per event; carries `data-event-id`, `data-kind` (message | self | publish) and `data-severity`. */
  sequenceArrow: 'trace-sequence-arrow',

  pathList: 'trace-path',
  /** An actual step in the path list; carries `data-event-id` and `data-status`. */
  stepItem: 'trace-step',
  /** A template step; carries `data-step` (`type@channel`) and `data-seen` (true | false). */
  expectedStep: 'trace-expected-step',

  /** A marker on a step row whose step has a note; its `title` is the whole note. */
  stepNoteMark: 'trace-step-note-mark',

  inspector: 'trace-inspector',
  /** Holds the note on the inspected step (`data-target` = `step:<kind>/<type@channel>` on the block inside). */
  stepNote: 'trace-step-note',
  diffTab: 'trace-diff-tab',
  diffPanel: 'trace-diff',
  diffBaseline: 'trace-diff-baseline',
  diffNotComparable: 'trace-diff-not-comparable',
  /** Carries `data-path` and `data-change`: added | removed | changed. */
  diffEntry: 'trace-diff-entry',
} as const;
