import type { Flow } from '@flowscope/shared';
import { ErrorBoundary } from '../../components/ErrorBoundary';
import { formatClock, formatDuration } from '../../lib/format';
import { AnnotationBlock, annotationTarget, useAnnotations } from '../annotations';
import { PayloadView } from '../inspector';
import { tourMarkers } from './tour.markers';
import type { TourStep } from './tourSteps';

/** The current step beside the map: what was published where and when, the timing around it, its note and payload. */
export function TourStepPanel({ flow, step }: { flow: Flow; step: TourStep }) {
  const { annotations } = useAnnotations();
  const event = step.event;
  const producer = event.producer ?? '';
  const stepTarget = annotationTarget.step(flow.kind, step.step);
  return (
    <aside className="fs-tour__panel" data-testid={tourMarkers.step} data-event-id={event.id}>
      <h2 className="fs-tour__type">{event.type ?? '(untyped)'}</h2>
      <p className="fs-tour__route">
        <span className="fs-tour__service">{producer || 'an unknown producer'}</span>
        <span className="fs-muted"> published to </span>
        <span className="fs-tour__channel">{event.channel}</span>
        <span className="fs-muted"> at {formatClock(event.timestamp)}</span>
      </p>
      <dl className="fs-tour__facts">
        <div>
          <dt>Since the previous step</dt>
          <dd>{step.sincePreviousMs === null ? 'starts the flow' : formatDuration(step.sincePreviousMs)}</dd>
        </div>
        <div>
          <dt>Next step in</dt>
          <dd data-testid={tourMarkers.nextIn}>
            {step.nextInMs === null ? 'this is the last step' : formatDuration(step.nextInMs)}
          </dd>
        </div>
        {step.consumerNodeIds.length > 0 && (
          <div>
            <dt>Reacted to by</dt>
            <dd>{step.consumerNodeIds.map((id) => id.replace(/^service:/, '')).join(', ')}</dd>
          </div>
        )}
      </dl>
      <div data-testid={tourMarkers.annotation}>
        <AnnotationBlock
          key={stepTarget}
          target={stepTarget}
          annotations={annotations}
          subject={`step ${step.step} of ${flow.kind}`}
        />
      </div>
      <h3 className="fs-panel-title">Payload</h3>
      <ErrorBoundary area="payload" resetKey={event.id}>
        <PayloadView key={event.id} payload={event.payload} />
      </ErrorBoundary>
    </aside>
  );
}
