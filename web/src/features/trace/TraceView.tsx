import { FlowPage } from './FlowPage';
import { TraceSearchPage } from './TraceSearchPage';
import { useTraceParams } from './useTraceParams';
import './trace.css';

/** The Trace view: `/trace` finds a flow, `/trace/<flow id>` follows it across services. */
export function TraceView() {
  const params = useTraceParams();
  return params.flowId ? (
    <FlowPage key={params.flowId} flowId={params.flowId} params={params} />
  ) : (
    <TraceSearchPage params={params} />
  );
}
