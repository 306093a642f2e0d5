/** Test ids of the insights page; e2e tests import these. */
export const insightsMarkers = {
  root: 'insights',
  loading: 'insights-loading',
  error: 'insights-error',
  /** One per section; carries `id` (the anchor: `findings`, `idempotency`, …) and `data-empty` when it has nothing. */
  section: 'insights-section',
  /** One per finding, in the server's order; carries `data-kind` and `data-severity` (alert | warning | info). */
  finding: 'insights-finding',
  /** A link that opens the flow of an evidence event; carries `data-event-id`. */
  evidence: 'insights-evidence',
  /** One per consumer and channel; carries `data-service`, `data-channel` and `data-verdict`. */
  idempotencyRow: 'insights-idempotency',
  /** One per flow kind; carries `data-kind`. */
  kindWindow: 'insights-kind-window',
  /** One per consumer and channel; carries `data-service` and `data-channel`. */
  consumerLag: 'insights-consumer-lag',
  /** One per channel (and partition); carries `data-channel`, `data-partition` and `data-basis`. */
  orderingRow: 'insights-ordering',
  /** One per change; carries `data-channel`, `data-type`, `data-path`, `data-kind` and `data-breaking`. */
  schemaRow: 'insights-schema',
  /** One per event type; carries `data-type`, `data-naming` and `data-payload`. */
  semanticsRow: 'insights-semantics',
  /** One per dead-letter channel; carries `data-channel`. */
  deadLetters: 'insights-dead-letters',
} as const;
