import { useState } from 'react';
import { useNow } from '../../lib/useNow';
import { Inspector } from '../inspector/Inspector';
import { DiffPanel } from './DiffPanel';
import type { TracedFlow } from './flowSteps';
import { traceMarkers } from './trace.markers';
import type { StepTab } from './useTraceParams';
import '../inspector/inspector.css';

type StepInspectorProps = Readonly<{
  flow: TracedFlow;
  eventId: string;
  tab: StepTab;
  onTabChange: (tab: StepTab) => void;
  onMove: (step: 1 | -1) => void;
  onClose: () => void;
}>;

/** The live view's inspector for the selected step, plus a Diff against an earlier step. */
export function StepInspector({ flow, eventId, tab, onTabChange, onMove, onClose }: StepInspectorProps) {
  const now = useNow();
  const index = flow.events.findIndex((e) => e.id === eventId);
  const event = flow.events[index];
  // A hand-picked comparison belongs to the step it was picked for.
  const [baseline, setBaseline] = useState<{ for: string; id: string | null }>({ for: eventId, id: null });
  const baselineId = baseline.for === eventId ? baseline.id : null;

  return (
    <aside
      className="fs-inspector fs-trace-inspector"
      data-testid={traceMarkers.inspector}
      data-event-id={eventId}
      aria-label="Step inspector"
    >
      <header className="fs-inspector__header">
        <h2 className="fs-panel-title">{event ? `Step ${index + 1} of ${flow.events.length}` : 'Step'}</h2>
        <div className="fs-inspector__actions">
          <button
            type="button"
            className="fs-icon-button fs-icon-button--text"
            aria-label="Previous step (k)"
            title="Previous step (k)"
            disabled={index <= 0}
            onClick={() => onMove(-1)}
          >
            ↑
          </button>
          <button
            type="button"
            className="fs-icon-button fs-icon-button--text"
            aria-label="Next step (j)"
            title="Next step (j)"
            disabled={index < 0 || index >= flow.events.length - 1}
            onClick={() => onMove(1)}
          >
            ↓
          </button>
          <button
            type="button"
            className="fs-icon-button"
            aria-label="Close inspector (Esc)"
            title="Close (Esc)"
            onClick={onClose}
          >
            ×
          </button>
        </div>
      </header>
      {event ? (
        <Inspector
          event={event}
          tab={tab}
          onTabChange={onTabChange}
          now={now}
          extraTabs={[
            {
              id: 'diff',
              label: 'Diff',
              testId: traceMarkers.diffTab,
              content: (
                <DiffPanel
                  events={flow.events}
                  index={index}
                  baselineId={baselineId}
                  onBaselineChange={(id) => setBaseline({ for: eventId, id })}
                />
              ),
            },
          ]}
        />
      ) : (
        <p className="fs-inspector__status fs-muted" role="status">
          This step is not part of the flow (any more). Pick another step.
        </p>
      )}
    </aside>
  );
}
