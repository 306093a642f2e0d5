import { basisPath } from '../edgePath';
import { NODE_SIZE } from '../layout';
import { EDGE_COLORS, edgeStyle, type MapFlowEdge, type MapFlowNode } from '../toFlowElements';

const SVG_NS = 'http://www.w3.org/2000/svg';
const MARGIN = 24;
const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif';
const COLORS = {
  background: '#0b0f15',
  serviceFill: '#152030',
  serviceStroke: '#5b9dff',
  channelFill: '#1f1a11',
  channelStroke: '#f2b84b',
  text: '#d9e0ea',
  muted: '#8794a8',
} as const;

export type MapSvg = Readonly<{ svg: SVGSVGElement; width: number; height: number }>;

type Box = Readonly<{ x: number; y: number; width: number; height: number }>;

/**
 * XML 1.0 has no NUL, most C0 controls, nor U+FFFE/U+FFFF, and the serializer writes them as they
 * are: a channel or service name holding one made the whole file unreadable.
 */
// eslint-disable-next-line no-control-regex -- these control characters are what is replaced
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
const xmlSafe = (text: string) => text.replace(NOT_XML, '\uFFFD');

function el<K extends keyof SVGElementTagNameMap>(
  doc: Document,
  name: K,
  attrs: Readonly<Record<string, string | number>>,
  text?: string,
): SVGElementTagNameMap[K] {
  const node = doc.createElementNS(SVG_NS, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, xmlSafe(String(v)));
  // Names come from traffic: always text, never markup.
  if (text !== undefined) node.textContent = xmlSafe(text);
  return node;
}

const boxOf = (n: MapFlowNode): Box => {
  const size = NODE_SIZE[n.type];
  return { x: n.position.x, y: n.position.y, width: n.width ?? size.width, height: n.height ?? size.height };
};

/** Names longer than fit in a node box are shortened with an ellipsis (the full name is its tooltip). */
function fitName(name: string, width: number): string {
  const max = Math.max(4, Math.floor((width - 24) / 7));
  return name.length > max ? `${name.slice(0, max - 1)}…` : name;
}

/** The edge's route from the layout, or a curve from the source's right side to the target's left. */
function edgePath(edge: MapFlowEdge, boxes: ReadonlyMap<string, Box>): string | null {
  const route = edge.data?.route;
  if (route && route.length >= 2) return basisPath(route);
  const s = boxes.get(edge.source);
  const t = boxes.get(edge.target);
  if (!s || !t) return null;
  const sx = s.x + s.width;
  const sy = s.y + s.height / 2;
  const tx = t.x;
  const ty = t.y + t.height / 2;
  const dx = Math.max(40, Math.abs(tx - sx) / 2);
  return `M${sx},${sy}C${sx + dx},${sy} ${tx - dx},${ty} ${tx},${ty}`;
}

/** One arrowhead per edge style (kind, or dead letters), in that style's colour. */
function arrowMarkers(doc: Document): SVGDefsElement {
  const defs = el(doc, 'defs', {});
  for (const [kind, color] of Object.entries(EDGE_COLORS)) {
    const marker = el(doc, 'marker', {
      id: `arrow-${kind}`,
      viewBox: '0 0 10 10',
      refX: 9,
      refY: 5,
      markerWidth: 7,
      markerHeight: 7,
      orient: 'auto-start-reverse',
    });
    marker.append(el(doc, 'path', { d: 'M0,0L10,5L0,10z', fill: color }));
    defs.append(marker);
  }
  return defs;
}

function edgeLayer(doc: Document, edges: readonly MapFlowEdge[], boxes: ReadonlyMap<string, Box>): SVGGElement {
  const layer = el(doc, 'g', { class: 'edges', fill: 'none' });
  for (const edge of edges) {
    const d = edgePath(edge, boxes);
    if (!d) continue;
    const kind = edge.data?.kind ?? 'produces';
    const style = edge.data ? edgeStyle(edge.data) : kind;
    const g = el(doc, 'g', { class: `edge edge-${style}` });
    g.append(
      el(doc, 'title', {}, `${edge.data?.sourceName ?? edge.source} ${kind} ${edge.data?.targetName ?? edge.target}`),
    );
    const path = el(doc, 'path', {
      d,
      stroke: EDGE_COLORS[style],
      'stroke-width': 1.6,
      'marker-end': `url(#arrow-${style})`,
    });
    // Dashed as on the map: inferred consumers, and bindings (dead-letter routes are solid red).
    if (edge.data?.inferred || style === 'routes') path.setAttribute('stroke-dasharray', '5 4');
    g.append(path);
    layer.append(g);
  }
  return layer;
}

/** A node: its box, its (shortened) name and what it is, with the full name as its tooltip. */
function nodeGroup(doc: Document, node: MapFlowNode, box: Box): SVGGElement {
  const service = node.type === 'service';
  const g = el(doc, 'g', { class: `node node-${node.type}` });
  g.append(el(doc, 'title', {}, `${service ? 'Service' : 'Channel'} ${node.data.name}`));
  g.append(
    el(doc, 'rect', {
      ...box,
      rx: service ? 10 : box.height / 2,
      fill: service ? COLORS.serviceFill : COLORS.channelFill,
      stroke: service ? COLORS.serviceStroke : COLORS.channelStroke,
      'stroke-width': 1.2,
    }),
  );
  const centre = { x: box.x + box.width / 2, 'text-anchor': 'middle' };
  const name = fitName(node.data.name, box.width);
  g.append(
    el(
      doc,
      'text',
      { ...centre, y: box.y + box.height / 2 - 3, fill: COLORS.text, 'font-size': 13, 'font-weight': 600 },
      name,
    ),
  );
  const detail =
    node.type === 'channel' ? ['channel', node.data.broker, node.data.cluster].filter(Boolean).join(' · ') : 'service';
  g.append(el(doc, 'text', { ...centre, y: box.y + box.height / 2 + 14, fill: COLORS.muted, 'font-size': 11 }, detail));
  return g;
}

/**
 * The map as a standalone SVG document, built from the laid-out nodes and edges with DOM calls:
 * every name is set as text content, so markup in a topic or service name stays text.
 */
export function buildMapSvg(
  doc: Document,
  nodes: readonly MapFlowNode[],
  edges: readonly MapFlowEdge[],
  title = 'Flowscope map',
): MapSvg {
  const boxes = new Map(nodes.map((n) => [n.id, boxOf(n)]));
  const all = [...boxes.values()];
  const minX = all.length ? Math.min(...all.map((b) => b.x)) : 0;
  const minY = all.length ? Math.min(...all.map((b) => b.y)) : 0;
  const maxX = all.length ? Math.max(...all.map((b) => b.x + b.width)) : 200;
  const maxY = all.length ? Math.max(...all.map((b) => b.y + b.height)) : 80;
  const width = Math.ceil(maxX - minX + 2 * MARGIN);
  const height = Math.ceil(maxY - minY + 2 * MARGIN);

  // The serializer writes the namespace declaration (the element is created in it).
  const svg = el(doc, 'svg', {
    width,
    height,
    viewBox: `${minX - MARGIN} ${minY - MARGIN} ${width} ${height}`,
    'font-family': FONT,
  });
  svg.append(el(doc, 'title', {}, title));
  svg.append(el(doc, 'rect', { x: minX - MARGIN, y: minY - MARGIN, width, height, fill: COLORS.background }));
  svg.append(arrowMarkers(doc));
  svg.append(edgeLayer(doc, edges, boxes));
  const nodeLayer = el(doc, 'g', { class: 'nodes' });
  for (const node of nodes) {
    const box = boxes.get(node.id);
    if (box) nodeLayer.append(nodeGroup(doc, node, box));
  }
  svg.append(nodeLayer);
  return { svg, width, height };
}

/** The SVG as a file's text, with an XML declaration. */
export function serializeSvg(svg: SVGSVGElement): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(svg)}\n`;
}

/** Rasterises SVG text to a PNG at `scale` times its size, through an image and a canvas. */
export async function svgToPng(svgText: string, width: number, height: number, scale = 2): Promise<Blob> {
  const url = URL.createObjectURL(new Blob([svgText], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    image.decoding = 'async';
    await new Promise<void>((resolve, reject) => {
      image.onload = () => resolve();
      image.onerror = () => reject(new Error('The map image could not be drawn.'));
      image.src = url;
    });
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(width * scale));
    canvas.height = Math.max(1, Math.round(height * scale));
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('This browser cannot draw to a canvas.');
    ctx.scale(scale, scale);
    ctx.drawImage(image, 0, 0, width, height);
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('The PNG could not be encoded.'))), 'image/png'),
    );
  } finally {
    URL.revokeObjectURL(url);
  }
}
