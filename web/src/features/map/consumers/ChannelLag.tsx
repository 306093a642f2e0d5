import type { BrokerKind, ConsumerChannel } from '@flowscope/shared';
import { formatCount, formatDuration, formatRate } from '../../../lib/format';
import { lagLevel } from '../edgeLabel';
import { mapMarkers } from '../map.markers';
import { lagAmount, unknownLag } from './consumerText';

type ChannelLagProps = Readonly<{ broker: BrokerKind; channel: ConsumerChannel }>;

/** How far behind the consumer is on one channel; a per-partition table where the broker has partitions. */
export function ChannelLag({ broker, channel }: ChannelLagProps) {
  const summary = <ChannelSummary broker={broker} channel={channel} />;
  const ids = { 'data-testid': mapMarkers.consumerChannel, 'data-channel': channel.channel };
  if (channel.partitions === undefined)
    return (
      <p className="fs-consumer__channel" {...ids}>
        {summary}
      </p>
    );
  return (
    <table className="fs-consumer__table" {...ids}>
      <caption>{summary}</caption>
      <thead>
        <tr>
          <th scope="col">Partition</th>
          <th scope="col">Committed</th>
          <th scope="col">End offset</th>
          <th scope="col">Lag</th>
        </tr>
      </thead>
      <tbody>
        {channel.partitions.length === 0 && (
          <tr>
            <td colSpan={4} className="fs-muted">
              No partitions reported.
            </td>
          </tr>
        )}
        {channel.partitions.map((p) => (
          <tr
            key={p.partition}
            data-testid={mapMarkers.partitionRow}
            data-channel={channel.channel}
            data-partition={p.partition}
          >
            <th scope="row">{p.partition}</th>
            <td>{p.committed ?? <span className="fs-muted">none</span>}</td>
            <td>{p.high}</td>
            <td className={`fs-lag--${lagLevel(p.lag)}`}>
              {p.lag === null ? <span className="fs-muted">unknown</span> : formatCount(p.lag)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ChannelSummary({ broker, channel: ch }: ChannelLagProps) {
  return (
    <>
      <code className="fs-consumer__channel-name">{ch.channel}</code>
      <span className={`fs-lag--${lagLevel(ch.lag)}`}>
        {ch.lag === null ? unknownLag(broker) : `lag ${lagAmount(broker, ch.lag)}`}
      </span>
      {ch.lagSeconds != null && <span>oldest waiting {formatDuration(ch.lagSeconds * 1000)}</span>}
      {ch.unacked !== undefined && <span>{formatCount(ch.unacked)} unacked</span>}
      {ch.redelivered ? <span className="fs-lag--warn">{formatCount(ch.redelivered)} redelivered</span> : null}
      <span className="fs-muted">{formatRate(ch.rate)} consumed</span>
    </>
  );
}
