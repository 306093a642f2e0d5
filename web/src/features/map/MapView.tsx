import type { EdgeEvidence, Topology } from '@flowscope/shared';
import {
  Controls,
  Panel,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
  useStore,
  type NodeMouseHandler,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useEffect, useMemo, useRef, type RefObject } from 'react';
import { useStableCallback } from '../../lib/useStableCallback';
import { useAnnotations } from '../annotations';
import { MapExport } from './export/MapExport';
import { ConsumerPanel } from './consumers/ConsumerPanel';
import { useConsumerPanel } from './consumers/useConsumerPanel';
import { readOnlyMapProps } from './elementTypes';
import { EvidenceFilter } from './EvidenceFilter';
import { MapBoundNotice } from './MapBoundNotice';
import { groupedNode } from './NodeBody';
import { MapEmptyState } from './MapEmptyState';
import { MapLegend } from './MapLegend';
import { mapMarkers } from './map.markers';
import { useHeldWhileMoving } from './useHeldWhileMoving';
import { useMapElements } from './useMapElements';
import { useServiceBehind } from './useServiceBehind';
import { useVisibleTopology } from './useVisibleTopology';
import './map.css';

export type MapViewProps = Readonly<{
  topology: Topology | null;
  activeNodeId: string | null;
  onToggleNode: (id: string) => void;
  /** Evidence kinds whose edges are hidden (unless other evidence backs them). */
  hiddenEvidence: ReadonlySet<EdgeEvidence>;
  onToggleEvidence: (kind: EdgeEvidence) => void;
  /** Nodes and edges to light up (the flow a breakpoint stopped in), with the class they get. */
  highlight?: Readonly<{ nodes: ReadonlySet<string>; edges: ReadonlySet<string>; className: string }> | null;
}>;

const FIT_OPTIONS = { padding: 0.06, maxZoom: 1.1 } as const;

const selectPaneSize = (s: { width: number; height: number }) => `${Math.round(s.width)}x${Math.round(s.height)}`;

/**
 * Fits the view on the first layout, and again when the graph grows or the pane is resized
 * (e.g. the inspector opens), but only until the user pans or zooms: from then on the viewport
 * is theirs (the fit control hands it back). Rate updates never move it.
 */
function AutoFit({ layoutKey, userMoved }: { layoutKey: string; userMoved: RefObject<boolean> }) {
  // Before the viewport exists a fitView request is silently dropped.
  const { fitView, viewportInitialized } = useReactFlow();
  const paneSize = useStore(selectPaneSize);
  const fitted = useRef(false);
  useEffect(() => {
    if (!layoutKey || !viewportInitialized || userMoved.current) return;
    void fitView(fitted.current ? { ...FIT_OPTIONS, duration: 200 } : FIT_OPTIONS);
    fitted.current = true;
  }, [layoutKey, paneSize, viewportInitialized, fitView, userMoved]);
  return null;
}

/** Zoom and fit: zooming makes the viewport the user's, fitting hands it back to AutoFit. */
function MapControls({ userMoves }: { userMoves: (moved: boolean) => void }) {
  return (
    <Controls
      showInteractive={false}
      fitViewOptions={FIT_OPTIONS}
      position="bottom-left"
      onZoomIn={() => userMoves(true)}
      onZoomOut={() => userMoves(true)}
      onFitView={() => userMoves(false)}
    />
  );
}

/** The elements with the highlighted ones given its class (the others unchanged, so not rendered again). */
function useHighlighted(
  { nodes, edges }: Pick<ReturnType<typeof useMapElements>, 'nodes' | 'edges'>,
  highlight: MapViewProps['highlight'],
) {
  return useMemo(() => {
    if (!highlight) return { nodes, edges };
    const { className } = highlight;
    return {
      nodes: nodes.map((n) => (highlight.nodes.has(n.id) ? { ...n, className } : n)),
      edges: edges.map((e) => (highlight.edges.has(e.id) ? { ...e, className } : e)),
    };
  }, [nodes, edges, highlight]);
}

/** The live map of services and channels. */
export function MapView({
  topology: latest,
  activeNodeId,
  onToggleNode,
  hiddenEvidence,
  onToggleEvidence,
  highlight = null,
}: MapViewProps) {
  const { value: topology, onMoveStart, onMoveEnd } = useHeldWhileMoving(latest);
  const { visible, evidenceKinds, hiddenEdges } = useVisibleTopology(topology, hiddenEvidence);
  const { annotations } = useAnnotations();
  // Services the insights measured show how far behind they run.
  const elements = useMapElements(visible, activeNodeId, annotations.byTarget, useServiceBehind());
  const { layoutKey, pending } = elements;
  const { nodes, edges } = useHighlighted(elements, highlight);
  const userMoved = useRef(false);
  // A grouped node ("1,234 other services") stands for many: there is no one name to filter by.
  const onNodeClick = useStableCallback<Parameters<NodeMouseHandler>, void>((_, { id }) => {
    if (!groupedNode(id)) onToggleNode(id);
  });
  const sectionRef = useRef<HTMLElement>(null);
  const hasNodes = nodes.length > 0;

  const panel = useConsumerPanel(topology, visible, activeNodeId, sectionRef);

  return (
    <section
      ref={sectionRef}
      className={`fs-map${panel.show ? ' has-consumers' : ''}`}
      data-testid={mapMarkers.root}
      aria-label="Map of services and channels"
    >
      <div className="fs-map__canvas">
        <ReactFlowProvider>
          <ReactFlow
            nodes={nodes}
            edges={edges}
            {...readOnlyMapProps}
            onNodeClick={onNodeClick}
            onMoveStart={onMoveStart}
            onMoveEnd={onMoveEnd}
            onMove={(event) => {
              // Programmatic moves (fitView) come without an event; a click on a node moves nothing.
              if (event) userMoved.current = true;
            }}
          >
            <AutoFit layoutKey={layoutKey} userMoved={userMoved} />
            {hasNodes && <MapControls userMoves={(moved) => (userMoved.current = moved)} />}
            {hasNodes && (
              <Panel position="top-right" className="fs-map__export">
                <MapExport nodes={nodes} edges={edges} />
              </Panel>
            )}
            <MapBoundNotice hidden={topology?.hidden} />
            {(hasNodes || hiddenEdges > 0) && (
              <MapLegend evidence={evidenceKinds}>
                <EvidenceFilter
                  kinds={evidenceKinds}
                  hidden={hiddenEvidence}
                  hiddenEdges={hiddenEdges}
                  onToggle={onToggleEvidence}
                />
              </MapLegend>
            )}
          </ReactFlow>
        </ReactFlowProvider>
        {!hasNodes && hiddenEdges === 0 && !pending && <MapEmptyState loading={topology === null} />}
      </div>
      {panel.show && panel.activeName !== undefined && (
        <ConsumerPanel
          service={panel.activeName}
          consumers={panel.consumers}
          onClose={panel.close}
          scope={sectionRef}
        />
      )}
    </section>
  );
}
