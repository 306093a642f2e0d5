import type { ConsumerLagStat, KindWindow } from '@flowscope/shared';
import { Link } from 'react-router';
import { formatCount, formatDuration } from '../../lib/format';
import { tracePath } from '../../lib/routes';
import { InsightSection } from './InsightSection';
import { insightsMarkers } from './insights.markers';
import { OverTimeBars } from './OverTimeBars';

const EMPTY = {
  title: 'No completed flows measured yet',
  text: 'A flow kind’s consistency window is the time from its first event until its last consumer has reacted: how long the system is inconsistent after each change. It is measured once flows complete; a consumer’s lag is the time from the event it read to the events it produced in response.',
};

function PercentileCells({ p }: { p: { p50Ms: number; p95Ms: number; p99Ms: number } }) {
  return (
    <>
      <td className="fs-num">{formatDuration(p.p50Ms)}</td>
      <td className="fs-num">{formatDuration(p.p95Ms)}</td>
      <td className="fs-num">{formatDuration(p.p99Ms)}</td>
    </>
  );
}

function KindWindows({ kinds }: { kinds: readonly KindWindow[] }) {
  return (
    <div className="fs-insights__scroll">
      <table className="fs-insights__table">
        <caption>Per flow kind: from its first event until its last consumer has reacted</caption>
        <thead>
          <tr>
            <th scope="col">Flow kind</th>
            <th scope="col" className="fs-num">
              Flows
            </th>
            <th scope="col" className="fs-num">
              p50
            </th>
            <th scope="col" className="fs-num">
              p95
            </th>
            <th scope="col" className="fs-num">
              p99
            </th>
            <th scope="col">p95 per minute</th>
            <th scope="col">Slowest</th>
          </tr>
        </thead>
        <tbody>
          {kinds.map((k) => (
            <tr key={k.kind} data-testid={insightsMarkers.kindWindow} data-kind={k.kind}>
              <th scope="row" className="fs-mono">
                {k.kind}
              </th>
              <td className="fs-num">{formatCount(k.samples)}</td>
              <PercentileCells p={k} />
              <td>
                <OverTimeBars points={k.overTime} />
              </td>
              <td>
                {k.slowestFlowId ? (
                  <Link to={tracePath(k.slowestFlowId)} title={`Open the slowest ${k.kind} flow`}>
                    open
                  </Link>
                ) : (
                  <span className="fs-muted">—</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ConsumerLags({ consumers }: { consumers: readonly ConsumerLagStat[] }) {
  return (
    <div className="fs-insights__scroll">
      <table className="fs-insights__table">
        <caption>Per consumer: how far behind the producer of what it reads it runs</caption>
        <thead>
          <tr>
            <th scope="col">Service</th>
            <th scope="col">Reads</th>
            <th scope="col" className="fs-num">
              Samples
            </th>
            <th scope="col" className="fs-num">
              p50 behind
            </th>
            <th scope="col" className="fs-num">
              p95 behind
            </th>
            <th scope="col" className="fs-num">
              p99 behind
            </th>
          </tr>
        </thead>
        <tbody>
          {consumers.map((c) => (
            <tr
              key={`${c.service}\u0000${c.channel}`}
              data-testid={insightsMarkers.consumerLag}
              data-service={c.service}
              data-channel={c.channel}
            >
              <th scope="row">
                <span className="fs-service-tag">{c.service}</span>
              </th>
              <td>
                <span className="fs-pill-inline">{c.channel}</span>
              </td>
              <td className="fs-num">{formatCount(c.samples)}</td>
              <PercentileCells p={c} />
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Consistency windows per flow kind (with p95 per minute) and how far behind each consumer runs. */
export function ConsistencySection({
  kinds,
  consumers,
}: {
  kinds: readonly KindWindow[];
  consumers: readonly ConsumerLagStat[];
}) {
  const empty = kinds.length === 0 && consumers.length === 0;
  return (
    <InsightSection
      id="consistency"
      title="Consistency windows"
      intro="How long until every part of the system has seen a change."
      empty={empty ? EMPTY : null}
    >
      {kinds.length > 0 ? (
        <KindWindows kinds={kinds} />
      ) : (
        <p className="fs-muted">No completed flow measured yet: windows per flow kind show once flows complete.</p>
      )}
      {consumers.length > 0 ? (
        <ConsumerLags consumers={consumers} />
      ) : (
        <p className="fs-muted">No consumer reaction measured yet.</p>
      )}
    </InsightSection>
  );
}
