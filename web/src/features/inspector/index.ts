/** One event in detail: the live view's side panel, and the inspector and payload view other views embed. */
export { Inspector } from './Inspector';
export { InspectorPanel } from './InspectorPanel';
export { PayloadView } from './PayloadView';
