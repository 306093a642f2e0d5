import { ReactFlow, ReactFlowProvider, useReactFlow } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useEffect } from 'react';
import { readOnlyMapProps } from './elementTypes';
import type { MapFlowEdge, MapFlowNode } from './toFlowElements';
import './map.css';

const FIT = { padding: 0.08, maxZoom: 1.1 } as const;

function FitOnLayout({ layoutKey }: { layoutKey: string }) {
  const { fitView, viewportInitialized } = useReactFlow();
  useEffect(() => {
    if (layoutKey && viewportInitialized) void fitView(FIT);
  }, [layoutKey, viewportInitialized, fitView]);
  return null;
}

type ReadOnlyMapProps = Readonly<{
  nodes: MapFlowNode[];
  edges: MapFlowEdge[];
  /** From `useMapElements`: the view fits again whenever the layout changes. */
  layoutKey: string;
  label: string;
  className?: string;
  testId?: string;
  data?: Readonly<Record<`data-${string}`, string>>;
}>;

/** The map as a picture fitted to its box, for views that show it beside something else (the tour). */
export function ReadOnlyMap({ nodes, edges, layoutKey, label, className, testId, data }: ReadOnlyMapProps) {
  return (
    <section className={`fs-map${className ? ` ${className}` : ''}`} data-testid={testId} aria-label={label} {...data}>
      <div className="fs-map__canvas">
        <ReactFlowProvider>
          <ReactFlow nodes={nodes} edges={edges} {...readOnlyMapProps}>
            <FitOnLayout layoutKey={layoutKey} />
          </ReactFlow>
        </ReactFlowProvider>
      </div>
    </section>
  );
}
