import { fileNamePart } from './download';
import type { ExportLink } from './ExportLinks';

/** Exports of one flow: its Mermaid sequence diagram and its NDJSON capture (replayable). */
export function flowExportLinks(flowId: string): ExportLink[] {
  const id = encodeURIComponent(flowId);
  const name = fileNamePart(flowId);
  return [
    {
      id: 'flow-mermaid',
      label: 'Mermaid',
      href: `/api/export/mermaid?flow=${id}`,
      fileName: `flowscope-${name}.mmd`,
      title: 'This flow as a Mermaid sequence diagram',
    },
    {
      id: 'flow-ndjson',
      label: 'NDJSON',
      href: `/api/export/ndjson?flow=${id}`,
      fileName: `flowscope-${name}.ndjson`,
      title: 'This flow’s events as an NDJSON capture (flowscope --replay plays it back)',
    },
    {
      id: 'flow-otlp',
      label: 'OTLP',
      href: `/api/export/otlp?flow=${id}`,
      fileName: `flowscope-${name}-otlp.json`,
      title: 'This flow as OpenTelemetry spans (OTLP/JSON), one per event: import it into Jaeger or Tempo',
    },
  ];
}

/** A flow kind's canonical path as a Mermaid sequence diagram. */
export function kindExportLink(kind: string): ExportLink {
  return {
    id: 'kind-mermaid',
    label: 'Mermaid',
    href: `/api/export/mermaid?kind=${encodeURIComponent(kind)}`,
    fileName: `flowscope-kind-${fileNamePart(kind)}.mmd`,
    title: `The canonical path of ${kind} as a Mermaid sequence diagram`,
  };
}
