import { Link } from 'react-router';
import { ApiRequestError, describeError } from '../../lib/api';
import { TRACE_ROOT } from '../../lib/routes';
import { traceMarkers } from './trace.markers';

/** Why the flow is not shown: no longer retained (and how to find it again), or another failure. */
export function FlowError({ flowId, error }: { flowId: string; error: unknown }) {
  const { message, hint } = describeError(error);
  const missing = error instanceof ApiRequestError && error.failure === 'not-found';
  return (
    <div className="fs-tflow-error" role="alert" data-testid={traceMarkers.flowError}>
      <h1>{missing ? 'This flow is not retained' : 'The flow could not be loaded'}</h1>
      <p className="fs-warning">{message}</p>
      <p className="fs-muted">
        {missing
          ? 'Flows are kept while they are recent. Search for the order id, trace id or correlation id of the transaction to find its current flow.'
          : (hint ?? 'Try again in a moment.')}
      </p>
      <p className="fs-muted">
        Looked for <code>{flowId}</code>
      </p>
      <Link className="fs-button fs-button--accent" to={TRACE_ROOT}>
        Search flows
      </Link>
    </div>
  );
}
