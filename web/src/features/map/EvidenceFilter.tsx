import type { EdgeEvidence } from '@flowscope/shared';
import { EVIDENCE_HINTS, EVIDENCE_LABELS } from './edgeFilter';
import { mapMarkers } from './map.markers';

type EvidenceFilterProps = Readonly<{
  /** The kinds to offer: those in the topology, and any hidden ones. */
  kinds: readonly EdgeEvidence[];
  hidden: ReadonlySet<EdgeEvidence>;
  /** Edges the filter currently hides. */
  hiddenEdges: number;
  onToggle: (kind: EdgeEvidence) => void;
}>;

/** Toggle buttons that show or hide edges by what they are known from. */
export function EvidenceFilter({ kinds, hidden, hiddenEdges, onToggle }: EvidenceFilterProps) {
  if (kinds.length === 0) return null;
  return (
    <div
      className="fs-evidence"
      role="group"
      aria-label="Show edges by evidence"
      data-testid={mapMarkers.evidenceFilter}
    >
      <span className="fs-evidence__title" aria-hidden="true">
        evidence
      </span>
      {kinds.map((kind) => {
        const shown = !hidden.has(kind);
        return (
          <button
            key={kind}
            type="button"
            className="fs-evidence__toggle"
            aria-pressed={shown}
            title={`${shown ? 'Hide' : 'Show'} edges known only because ${EVIDENCE_HINTS[kind]}`}
            data-testid={mapMarkers.evidenceToggle}
            data-evidence={kind}
            onClick={() => onToggle(kind)}
          >
            <span className="fs-evidence__check" aria-hidden="true" />
            {EVIDENCE_LABELS[kind]}
          </button>
        );
      })}
      {hiddenEdges > 0 && (
        <span className="fs-evidence__hidden" role="status" data-testid={mapMarkers.hiddenEdges}>
          {hiddenEdges} {hiddenEdges === 1 ? 'edge' : 'edges'} hidden
        </span>
      )}
    </div>
  );
}
