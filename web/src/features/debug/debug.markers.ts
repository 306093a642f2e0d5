/** Test ids of the debugger; e2e page objects import these. */
export const debugMarkers = {
  /**
   * The bar over the map while the view is paused; `data-reason` is `breakpoint` or `paused`,
   * `data-map` is `catching-up` until the map of the stop's moment is in, then `frozen`.
   */
  bar: 'debug-bar',
  barStatus: 'debug-bar-status',
  /** How many events arrived behind the paused view. */
  behind: 'debug-behind',
  step: (kind: 'event' | 'flow' | 'match') => `debug-step-${kind}`,
  resume: 'debug-resume',
  waiting: 'debug-waiting',
  /** The toolbar button that opens the breakpoints panel (its count in `data-count`). */
  panelButton: 'breakpoints-button',
  panel: 'breakpoints-panel',
  expressionInput: 'breakpoint-expression',
  add: 'breakpoint-add',
  addError: 'breakpoint-error',
  condition: (c: 'failed' | 'stuck' | 'anomaly') => `breakpoint-condition-${c}`,
  /** One breakpoint in the panel, `data-breakpoint-id`, its hits in `data-hits`. */
  item: 'breakpoint-item',
  itemToggle: 'breakpoint-toggle',
  itemRemove: 'breakpoint-remove',
  /** The inspector's "Break on events like this". */
  breakOnEvent: 'break-on-event',
  /** Class of stream rows and map elements of the flow the view stopped in. */
  flowClass: 'fs-debug-flow',
} as const;
