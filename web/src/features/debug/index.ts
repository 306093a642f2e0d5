/** The debugger: breakpoints over live traffic, the paused view's bar and stepping, the stopped flow's highlight. */
export { BreakOnEventButton } from './BreakOnEventButton';
export { BreakpointsButton } from './BreakpointsPanel';
export { DebugBar } from './DebugBar';
export { debugMarkers } from './debug.markers';
export { useFlowHighlight, useOpenAtStop } from './useFlowHighlight';
