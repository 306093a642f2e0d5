import { useState } from 'react';
import { ExportButton, ExportGroup, saveBlob } from '../../export';
import type { MapFlowEdge, MapFlowNode } from '../toFlowElements';
import { buildMapSvg, serializeSvg, svgToPng } from './mapSvg';

const MERMAID = {
  id: 'map-mermaid',
  label: 'Mermaid',
  href: '/api/export/mermaid',
  fileName: 'flowscope-map.mmd',
  title: 'The map as a Mermaid flowchart',
} as const;

/** Map exports: a Mermaid flowchart from the server, SVG and PNG drawn here from the laid-out map. */
export function MapExport({ nodes, edges }: { nodes: readonly MapFlowNode[]; edges: readonly MapFlowEdge[] }) {
  const [error, setError] = useState<string | null>(null);
  const build = () => {
    const { svg, width, height } = buildMapSvg(document, nodes, edges);
    return { text: serializeSvg(svg), width, height };
  };
  const saveSvg = () => {
    setError(null);
    saveBlob(new Blob([build().text], { type: 'image/svg+xml' }), 'flowscope-map.svg');
  };
  const savePng = async () => {
    setError(null);
    try {
      const { text, width, height } = build();
      saveBlob(await svgToPng(text, width, height), 'flowscope-map.png');
    } catch (err) {
      setError(err instanceof Error ? err.message : 'The PNG could not be made.');
    }
  };
  return (
    <ExportGroup scope="map" links={[MERMAID]} error={error}>
      <ExportButton id="map-svg" label="SVG" title="The map as an SVG image" onClick={saveSvg} />
      <ExportButton id="map-png" label="PNG" title="The map as a PNG image" onClick={() => void savePng()} />
    </ExportGroup>
  );
}
