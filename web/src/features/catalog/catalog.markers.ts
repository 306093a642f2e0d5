/** Test ids of the catalog; e2e page objects import these. */
export const catalogMarkers = {
  root: 'catalog',
  empty: 'catalog-empty',
  error: 'catalog-error',
  /** One per learned flow kind; carries `data-kind` and `id="kind-<kind>"`. */
  kind: 'catalog-kind',
  /** A step of a kind's canonical path; carries `data-step` (`type@channel`). */
  kindStep: 'catalog-kind-step',
  /** The share of settled flows of a kind that failed. */
  kindFailureRate: 'catalog-kind-failure-rate',
  /** A kind's consistency window (p50 · p95 · p99) from the insights. */
  kindConsistency: 'catalog-kind-consistency',
  /** Links to example flows of a kind; carry `data-example` (typical | slowest) and `data-flow-id`. */
  exampleFlow: 'catalog-example-flow',
  exampleTour: 'catalog-example-tour',
  /** One per channel; carries `data-channel-id` and `data-channel-name`, `aria-expanded` on its toggle. */
  channel: 'catalog-channel',
  channelToggle: 'catalog-channel-toggle',
  /** One per event type of a channel; carries `data-type`. */
  eventType: 'catalog-event-type',
  /** The inferred schema as a table; rows carry `data-path` and `data-required`. */
  schemaTable: 'catalog-schema',
  schemaRow: 'catalog-schema-row',
  drift: 'catalog-drift',
  /** On an event type with a breaking schema change; links to the insights' schema section. */
  breakingChange: 'catalog-breaking-change',
  /** On an event type: what its name and payload say it is (event or command, notification or state). */
  semantics: 'catalog-semantics',
  filter: 'catalog-filter',
} as const;
