import type { Consumer } from '@flowscope/shared';
import { formatCount, formatDuration, formatRelative } from '../../../lib/format';
import { lagLevel } from '../edgeLabel';
import { mapMarkers } from '../map.markers';
import { ChannelLag } from './ChannelLag';
import { ConsumerMembers } from './ConsumerMembers';
import { consumerKindText, consumerNote, kindName, lagAmount, unknownLag } from './consumerText';
import { LagSparkline } from './LagSparkline';

type ConsumerProps = Readonly<{ consumer: Consumer }>;

/** One consumer: what it is, where, its state, how far behind overall and per channel, and who consumes. */
export function ConsumerView({ consumer: c, now }: ConsumerProps & { now: number }) {
  return (
    <section
      className="fs-consumer"
      data-testid={mapMarkers.consumer}
      data-consumer-id={c.id}
      data-consumer-kind={c.kind}
    >
      <h3 className="fs-consumer__id" title={c.id}>
        {c.id}
      </h3>
      <dl className="fs-consumer__facts">
        <div>
          <dt>kind</dt>
          <dd>{consumerKindText(c)}</dd>
        </div>
        <div>
          <dt>cluster</dt>
          <dd>{c.cluster}</dd>
        </div>
        <div>
          <dt>state</dt>
          <dd className={`fs-consumer__state fs-consumer__state--${c.state.toLowerCase()}`}>{c.state}</dd>
        </div>
        <div>
          <dt>read</dt>
          <dd>{formatRelative(c.updatedAt, now)}</dd>
        </div>
      </dl>
      <LagLine consumer={c} />
      {consumerNote(c) && <p className="fs-muted fs-consumer__note">{consumerNote(c)}</p>}
      <ConsumerMembers consumer={c} />
      {c.channels.length === 0 ? (
        <p className="fs-muted fs-consumer__none">No tapped channels have a reading for this {kindName(c.kind)}.</p>
      ) : (
        c.channels.map((ch) => <ChannelLag key={ch.channel} broker={c.broker} channel={ch} />)
      )}
    </section>
  );
}

/** The oldest wait over channels and the unacknowledged total, where the broker tells. */
function extras(c: Consumer): { ageS: number | null; unacked: number | null } {
  let ageS: number | null = null;
  let unacked: number | null = null;
  for (const ch of c.channels) {
    if (ch.lagSeconds != null) ageS = Math.max(ageS ?? 0, ch.lagSeconds);
    if (ch.unacked !== undefined) unacked = (unacked ?? 0) + ch.unacked;
  }
  return { ageS, unacked };
}

function LagLine({ consumer: c }: ConsumerProps) {
  const { ageS, unacked } = extras(c);
  return (
    <div className="fs-consumer__lagline">
      <div className="fs-consumer__total">
        <span className="fs-consumer__label">total lag</span>
        <strong className={`fs-consumer__lag fs-lag--${lagLevel(c.lag)}`} data-testid={mapMarkers.consumerLag}>
          {c.lag === null ? unknownLag(c.broker) : lagAmount(c.broker, c.lag)}
        </strong>
        {ageS !== null && (
          <span className="fs-consumer__extra" data-testid={mapMarkers.consumerLagAge}>
            oldest waiting {formatDuration(ageS * 1000)}
          </span>
        )}
        {unacked !== null && (
          <span className="fs-consumer__extra" data-testid={mapMarkers.consumerUnacked}>
            {formatCount(unacked)} unacked
          </span>
        )}
      </div>
      <LagSparkline history={c.history} broker={c.broker} />
    </div>
  );
}
