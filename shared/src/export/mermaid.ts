import type { Flow } from '../model/flow.js';
import type { FlowTemplate } from '../model/flowTemplate.js';
import type { Topology } from '../model/topology.js';

/**
 * Mermaid text for flows, flow kinds and the map. Every name that came from traffic (services,
 * channels, event types) is written as an entity-escaped label behind a generated id, so no
 * name can add a statement, a directive (`%%{init}`), a link, or markup.
 */

/** Keeps letters, digits and a few harmless marks; everything else becomes a Mermaid entity code. */
export function mermaidText(text: string): string {
  let out = '';
  for (const ch of text.replace(/[\r\n\t]+/g, ' ').slice(0, 200)) {
    out += /[A-Za-z0-9 _.\-/@]/.test(ch) ? ch : `#${ch.codePointAt(0)};`;
  }
  return out.trim() || '#160;';
}

const quoted = (text: string) => `"${mermaidText(text)}"`;

function ids(prefix: string) {
  const map = new Map<string, string>();
  return (name: string) => {
    let id = map.get(name);
    if (!id) {
      id = `${prefix}${map.size}`;
      map.set(name, id);
    }
    return id;
  };
}

const ms = (v: number) => (v >= 1000 ? `${(v / 1000).toFixed(1)} s` : `${Math.round(v)} ms`);

/**
 * One flow as a sequence diagram: each event is its producer publishing to its channel; a hop
 * with a known consumer is that service reading the channel, with the hop's latency.
 */
export function flowSequence(flow: Flow, title?: string): string {
  const lines = ['sequenceDiagram'];
  if (title) lines.push(`  title ${mermaidText(title)}`);
  const participant = ids('p');
  const declared = new Set<string>();
  const declare = (name: string, kind: 'participant' | 'queue') => {
    const id = participant(`${kind}:${name}`);
    if (!declared.has(id)) {
      declared.add(id);
      lines.push(`  ${kind === 'queue' ? 'participant' : 'actor'} ${id} as ${mermaidText(name)}`);
    }
    return id;
  };
  const byId = new Map(flow.events.map((e) => [e.id, e]));
  const hopTo = new Map(flow.hops.map((h) => [h.to, h]));
  for (const e of flow.events) {
    const hop = hopTo.get(e.id);
    const cause = hop ? byId.get(hop.from) : undefined;
    if (hop?.service && cause) {
      const from = declare(cause.channel, 'queue');
      const to = declare(hop.service, 'participant');
      lines.push(`  ${from}-->>${to}: ${mermaidText(`${cause.type ?? 'message'} (${ms(hop.latencyMs)})`)}`);
    }
    const producer = declare(e.producer ?? 'unknown producer', 'participant');
    const channel = declare(e.channel, 'queue');
    lines.push(`  ${producer}->>${channel}: ${mermaidText(e.type ?? '(untyped)')}`);
  }
  for (const a of flow.anomalies) {
    const at = a.eventId ? byId.get(a.eventId) : undefined;
    if (at) lines.push(`  Note over ${declare(at.channel, 'queue')}: ${mermaidText(`${a.kind}: ${a.message}`)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** A flow kind's canonical path: step after step on their channels, with p50/p99 latency. */
export function kindSequence(template: FlowTemplate, annotations: Readonly<Record<string, string>> = {}): string {
  const lines = ['sequenceDiagram', `  title ${mermaidText(template.kind)}`];
  const about = annotations[`kind:${template.kind}`];
  const participant = ids('c');
  const declared = new Set<string>();
  let previous: string | undefined;
  for (const s of template.steps) {
    const at = s.step.lastIndexOf('@');
    const type = at >= 0 ? s.step.slice(0, at) : s.step;
    const channel = at >= 0 ? s.step.slice(at + 1) : s.step;
    const id = participant(channel);
    if (!declared.has(id)) {
      declared.add(id);
      lines.push(`  participant ${id} as ${mermaidText(channel)}`);
    }
    const label = mermaidText(`${type} · p50 ${ms(s.p50Ms)} · p99 ${ms(s.p99Ms)}`);
    lines.push(
      previous === undefined || previous === id ? `  Note over ${id}: ${label}` : `  ${previous}->>${id}: ${label}`,
    );
    if (previous === undefined && about) lines.push(`  Note over ${id}: ${mermaidText(about)}`);
    const note = annotations[`step:${template.kind}/${s.step}`];
    if (note) lines.push(`  Note right of ${id}: ${mermaidText(note)}`);
    previous = id;
  }
  return `${lines.join('\n')}\n`;
}

/** The map as a flowchart: services as boxes, channels as cylinders, edges with their evidence. */
export function mapFlowchart(topology: Topology, annotations: Readonly<Record<string, string>> = {}): string {
  const lines = ['flowchart LR'];
  const id = ids('n');
  for (const n of topology.nodes) {
    // Services are annotated as `service:<name>` (their node id), channels as `channel:<node id>`.
    const note = annotations[n.kind === 'service' ? n.id : `channel:${n.id}`];
    const label = quoted(note ? `${n.name} · ${note.length > 60 ? `${note.slice(0, 59)}…` : note}` : n.name);
    lines.push(`  ${id(n.id)}${n.kind === 'channel' ? `[(${label})]` : `[${label}]`}`);
  }
  const known = new Set(topology.nodes.map((n) => n.id));
  for (const e of topology.edges) {
    if (!known.has(e.source) || !known.has(e.target)) continue;
    const inferred = e.evidence.every((x) => x === 'inferred-causality');
    const lag = e.lag !== undefined && e.lag !== null ? ` · lag ${e.lag}` : '';
    // A route's keys say which messages take it (a binding's routing keys, a dead-letter key).
    const keys = e.labels?.filter(Boolean).join(', ');
    const label = quoted(`${e.evidence.join(', ')}${keys ? ` · ${keys}` : ''}${lag}`);
    lines.push(`  ${id(e.source)} ${inferred ? '-.->' : '-->'}|${label}| ${id(e.target)}`);
  }
  return `${lines.join('\n')}\n`;
}
