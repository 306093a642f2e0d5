/** Time travel: the live view at a moment of the past, from the store, with playback. */
export { HistoryBar, HistoryButton } from './HistoryBar';
export { useLeaveHistory } from './useHistory';
