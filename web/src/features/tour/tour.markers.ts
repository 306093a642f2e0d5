/** Test ids and classes of the tour; e2e page objects import these. */
export const tourMarkers = {
  /** The tour; carries `data-flow-id`, `data-step` (1-based) and `data-count`. */
  root: 'tour',
  error: 'tour-error',
  /** Carries `data-producer` and `data-channel` (names) of the step on show. */
  map: 'tour-map',
  /** Class on the React Flow wrapper of highlighted nodes and edges; the rest get `dimClass`. */
  litClass: 'fs-tour-lit',
  dimClass: 'fs-tour-dim',
  step: 'tour-step',
  progress: 'tour-progress',
  /** One per event in the progress bar; carries `data-step` and `aria-current="step"` on the current one. */
  progressItem: 'tour-progress-item',
  previous: 'tour-previous',
  next: 'tour-next',
  exit: 'tour-exit',
  nextIn: 'tour-next-in',
  annotation: 'tour-annotation',
} as const;
