/** Test ids of time travel; e2e page objects import these. */
export const historyMarkers = {
  /** The toolbar button that goes back in time. */
  enter: 'history-enter',
  /** The bar over the map while the view shows a past moment; `data-at` is that moment (epoch ms). */
  bar: 'history-bar',
  scrubber: 'history-scrubber',
  moment: 'history-moment',
  play: 'history-play',
  speed: 'history-speed',
  /** How much of the past before the moment draws the map. */
  window: 'history-window',
  live: 'history-live',
  step: (delta: string) => `history-step-${delta}`,
  /** Says the map was drawn from part of a busy window. */
  sampled: 'history-sampled',
} as const;
