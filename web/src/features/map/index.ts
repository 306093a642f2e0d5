/** The map of services and channels: the live view's map, a read-only map for other views, and its URL state. */
export { formatHiddenEvidence, parseHiddenEvidence } from './edgeFilter';
export { MapView } from './MapView';
export { ReadOnlyMap } from './ReadOnlyMap';
export type { MapFlowEdge, MapFlowNode } from './toFlowElements';
export { useMapElements } from './useMapElements';
