/** Trace one flow: the search and flow views, and the flow query other views reuse. */
export { useFlow } from './queries';
export { TraceView } from './TraceView';
export { EntityView } from './EntityView';
