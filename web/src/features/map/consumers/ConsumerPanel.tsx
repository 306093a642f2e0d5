import type { Consumer } from '@flowscope/shared';
import type { RefObject } from 'react';
import { SidePanel } from '../../../components/SidePanel';
import { useNow } from '../../../lib/useNow';
import { mapMarkers } from '../map.markers';
import { panelTitle } from './consumerText';
import { ConsumerView } from './ConsumerView';
import { useEscapeToClose } from './useEscapeToClose';
import './consumers.css';

type ConsumerPanelProps = Readonly<{
  service: string;
  consumers: readonly Consumer[];
  onClose: () => void;
  /** Esc pressed in here closes the panel before anything else sees it (e.g. the inspector). */
  scope?: RefObject<HTMLElement | null>;
  /** For tests; the live clock otherwise. */
  now?: number;
}>;

/**
 * The consumers a service reads with, on any broker (Kafka consumer groups, RabbitMQ queues, NATS
 * durables, …): state, members, lag per channel (and per partition where there are partitions) and lag over time.
 */
export function ConsumerPanel({ service, consumers, onClose, scope, now }: ConsumerPanelProps) {
  const clock = useNow();
  useEscapeToClose(scope, onClose);
  return (
    <SidePanel
      className="fs-consumers"
      title={
        <>
          {panelTitle(consumers)} of <span className="fs-consumers__service">{service}</span>
        </>
      }
      onClose={onClose}
      closeLabel="Close consumers (Esc)"
      closeTestId={mapMarkers.consumerPanelClose}
      testId={mapMarkers.consumerPanel}
    >
      <div className="fs-consumers__body">
        {consumers.map((c) => (
          <ConsumerView key={`${c.source}/${c.kind}/${c.id}`} consumer={c} now={now ?? clock} />
        ))}
      </div>
    </SidePanel>
  );
}
