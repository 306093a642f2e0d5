import { stepOf, type Flow } from '@flowscope/shared';
import { useState } from 'react';
import { SidePanel } from '../../components/SidePanel';
import { useNow } from '../../lib/useNow';
import { AnnotationBlock, type Annotations, annotationTarget } from '../annotations';
import { Inspector } from '../inspector';
import { DiffPanel } from './DiffPanel';
import { traceMarkers } from './trace.markers';
import type { StepTab } from './useTraceParams';

type StepInspectorProps = Readonly<{
  flow: Flow;
  eventId: string;
  tab: StepTab;
  onTabChange: (tab: StepTab) => void;
  onMove: (step: 1 | -1) => void;
  onClose: () => void;
  /** Notes by target: the step's (its kind and `type@channel`) is shown above the event. */
  annotations?: Annotations;
}>;

/** The live view's inspector for the selected step, plus a Diff against an earlier step. */
export function StepInspector({ flow, eventId, tab, onTabChange, onMove, onClose, annotations }: StepInspectorProps) {
  const now = useNow();
  const index = flow.events.findIndex((e) => e.id === eventId);
  const event = flow.events[index];
  // A hand-picked comparison belongs to the step it was picked for.
  const [baseline, setBaseline] = useState<{ for: string; id: string | null }>({ for: eventId, id: null });
  const baselineId = baseline.for === eventId ? baseline.id : null;
  const step = event ? stepOf(event) : null;
  const stepTarget = step ? annotationTarget.step(flow.kind, step) : '';

  return (
    <SidePanel
      className="fs-inspector fs-trace-inspector"
      title={event ? `Step ${index + 1} of ${flow.events.length}` : 'Step'}
      label="Step inspector"
      testId={traceMarkers.inspector}
      data={{ 'data-event-id': eventId }}
      actions={<StepButtons index={index} count={flow.events.length} onMove={onMove} />}
      onClose={onClose}
      closeLabel="Close inspector (Esc)"
    >
      {step && annotations && (
        <div className="fs-trace-inspector__note" data-testid={traceMarkers.stepNote}>
          <AnnotationBlock
            key={stepTarget}
            target={stepTarget}
            annotations={annotations}
            subject={`step ${step} of ${flow.kind}`}
            compact
          />
        </div>
      )}
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
        <p className="fs-side-panel__status fs-muted" role="status">
          This step is not part of the flow (any more). Pick another step.
        </p>
      )}
    </SidePanel>
  );
}

function StepButtons({ index, count, onMove }: { index: number; count: number; onMove: (step: 1 | -1) => void }) {
  return (
    <>
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
        disabled={index < 0 || index >= count - 1}
        onClick={() => onMove(1)}
      >
        ↓
      </button>
    </>
  );
}
