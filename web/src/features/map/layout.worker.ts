import { layoutGraph, type GraphLayout, type LayoutGraph } from './layout';

/** Messages between layoutClient.ts and this worker. Maps survive structured cloning as they are. */
export type LayoutRequest = Readonly<{ key: string; graph: LayoutGraph }>;
export type LayoutResponse = Readonly<{ key: string; layout: GraphLayout }>;

// The dagre layout of a big map takes a few hundred ms: here it cannot hold up input or paint.
const scope = self as unknown as {
  onmessage: ((e: MessageEvent<LayoutRequest>) => void) | null;
  postMessage: (message: LayoutResponse) => void;
};
scope.onmessage = (e) => scope.postMessage({ key: e.data.key, layout: layoutGraph(e.data.graph) });
