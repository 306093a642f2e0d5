/** Test ids of the status bar; e2e page objects import these. */
export const statusMarkers = {
  bar: 'status-bar',
  /** Top navigation links; the current one has `aria-current="page"`. */
  navLive: 'nav-live',
  navTrace: 'nav-trace',
  navCatalog: 'nav-catalog',
  navInsights: 'nav-insights',
  /** The number of alert findings on the Insights link (absent without any); carries `data-count`. */
  navInsightsAlerts: 'nav-insights-alerts',
  /** Carries `data-state`: connecting | connected | reconnecting | disconnected. */
  connection: 'connection-status',
  /** One per source; carries `data-state` (the source's state) and `data-source-id`. */
  source: 'source-status',
  sourceDetails: 'source-status-details',
  /** The tap's own lag in the source's panel; `data-lag` is the records behind, `falling-behind` or `not-applicable`. */
  sourceLag: 'source-lag',
  sourceLagRow: 'source-lag-row',
  rate: 'status-rate',
  protocolErrors: 'protocol-errors',
  gaps: 'history-gaps',
  /** Shown while the store cannot write history (disk full, read-only directory), with why. */
  store: 'store-failing',
} as const;
