import type { FlowEvent } from '@flowscope/shared';
import { useState } from 'react';
import { describeError } from '../../lib/api';
import { addBreakpoint, expressionLike } from './breakpointApi';
import { debugMarkers } from './debug.markers';

/** "Break on events like this": a breakpoint on this event's type and channel. */
export function BreakOnEventButton({ event }: { event: Pick<FlowEvent, 'type' | 'channel' | 'producer'> }) {
  const expression = expressionLike(event);
  const [state, setState] = useState<{ kind: 'idle' | 'busy' | 'set' } | { kind: 'error'; message: string }>({
    kind: 'idle',
  });
  return (
    <button
      type="button"
      className="fs-button fs-button--small"
      title={state.kind === 'error' ? state.message : `Stop the live view at the next event where ${expression}`}
      disabled={state.kind === 'busy' || state.kind === 'set'}
      data-testid={debugMarkers.breakOnEvent}
      data-expression={expression}
      onClick={() => {
        setState({ kind: 'busy' });
        addBreakpoint({ expression }).then(
          () => setState({ kind: 'set' }),
          (err: unknown) => setState({ kind: 'error', message: describeError(err).message }),
        );
      }}
    >
      {state.kind === 'set'
        ? '✓ Breakpoint set'
        : state.kind === 'error'
          ? '⚠ Not set (retry)'
          : '● Break on events like this'}
    </button>
  );
}
