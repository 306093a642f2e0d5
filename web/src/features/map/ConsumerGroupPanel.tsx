import type { ConsumerGroup, GroupTopic } from '@flowscope/shared';
import { useEffect, useEffectEvent, useId, type RefObject } from 'react';
import { formatCount, formatDuration, formatRate, formatRelative } from '../../lib/format';
import { useNow } from '../../lib/useNow';
import { lagLevel } from './edgeLabel';
import { sparklinePoints, summarizeLag } from './lagHistory';
import { mapMarkers } from './map.markers';

type ConsumerGroupPanelProps = Readonly<{
  service: string;
  groups: readonly ConsumerGroup[];
  onClose: () => void;
  /** Esc pressed in here closes the panel before anything else sees it (e.g. the inspector). */
  scope?: RefObject<HTMLElement | null>;
  /** For tests; the live clock otherwise. */
  now?: number;
}>;

const records = (n: number) => `${formatCount(n)} ${n === 1 ? 'record' : 'records'}`;

const isEditable = (target: EventTarget | null) =>
  target instanceof HTMLElement &&
  (target.isContentEditable || target.tagName === 'INPUT' || target.tagName === 'TEXTAREA');

/** Closes on Esc: at once when pressed inside `scope`, else only if nothing else took it. */
function useEscape(scope: RefObject<HTMLElement | null> | undefined, onClose: () => void) {
  const close = useEffectEvent(onClose);
  useEffect(() => {
    const inside = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || e.defaultPrevented) return;
      if (scope?.current && e.target instanceof Node && scope.current.contains(e.target)) {
        e.preventDefault();
        close();
      }
    };
    const anywhere = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || e.defaultPrevented || isEditable(e.target)) return;
      e.preventDefault();
      close();
    };
    document.addEventListener('keydown', inside, true);
    window.addEventListener('keydown', anywhere);
    return () => {
      document.removeEventListener('keydown', inside, true);
      window.removeEventListener('keydown', anywhere);
    };
  }, [scope]);
}

/** The consumer groups a service reads with: members, lag per partition and lag over time. */
export function ConsumerGroupPanel({ service, groups, onClose, scope, now }: ConsumerGroupPanelProps) {
  const clock = useNow();
  useEscape(scope, onClose);
  const titleId = useId();
  return (
    <aside className="fs-groups" aria-labelledby={titleId} data-testid={mapMarkers.groupPanel}>
      <header className="fs-groups__header">
        <h2 className="fs-panel-title" id={titleId}>
          {groups.length === 1 ? 'Consumer group' : `${groups.length} consumer groups`} of{' '}
          <span className="fs-groups__service">{service}</span>
        </h2>
        <button
          type="button"
          className="fs-icon-button"
          aria-label="Close consumer groups (Esc)"
          title="Close (Esc)"
          data-testid={mapMarkers.groupPanelClose}
          onClick={onClose}
        >
          ×
        </button>
      </header>
      <div className="fs-groups__body">
        {groups.map((g) => (
          <GroupView key={`${g.source}/${g.groupId}`} group={g} now={now ?? clock} />
        ))}
      </div>
    </aside>
  );
}

function GroupView({ group, now }: { group: ConsumerGroup; now: number }) {
  const level = lagLevel(group.lag);
  return (
    <section className="fs-group" data-testid={mapMarkers.group} data-group-id={group.groupId}>
      <h3 className="fs-group__id" title={group.groupId}>
        {group.groupId}
      </h3>
      <dl className="fs-group__facts">
        <div>
          <dt>cluster</dt>
          <dd>{group.cluster}</dd>
        </div>
        <div>
          <dt>state</dt>
          <dd className={`fs-group__state fs-group__state--${group.state.toLowerCase()}`}>{group.state}</dd>
        </div>
        <div>
          <dt>read</dt>
          <dd>{formatRelative(group.updatedAt, now)}</dd>
        </div>
      </dl>
      <div className="fs-group__lagline">
        <div className="fs-group__total">
          <span className="fs-group__label">total lag</span>
          <strong className={`fs-group__lag fs-lag--${level}`} data-testid={mapMarkers.groupLag}>
            {group.lag === null ? 'no offsets committed yet' : records(group.lag)}
          </strong>
        </div>
        <LagSparkline history={group.history} />
      </div>
      <Members group={group} />
      {group.topics.length === 0 ? (
        <p className="fs-muted fs-group__none">No tapped topics have offsets for this group.</p>
      ) : (
        group.topics.map((t) => <TopicLag key={t.topic} topic={t} />)
      )}
    </section>
  );
}

const SPARK_W = 140;
const SPARK_H = 30;

/** Total lag over time as a line, with now, min and max written out. */
export function LagSparkline({ history }: { history: ConsumerGroup['history'] }) {
  const summary = summarizeLag(history);
  if (!summary) return <p className="fs-muted fs-spark__none">No lag readings yet.</p>;
  const points = sparklinePoints(history, SPARK_W, SPARK_H);
  const over = summary.spanMs > 0 ? ` over ${formatDuration(summary.spanMs)}` : '';
  const label = `Lag history, ${summary.readings} ${summary.readings === 1 ? 'reading' : 'readings'}${over}: now ${records(summary.current)}, min ${formatCount(summary.min)}, max ${formatCount(summary.max)}`;
  return (
    <figure className="fs-spark" data-testid={mapMarkers.groupSparkline}>
      {points ? (
        <svg
          className="fs-spark__svg"
          width={SPARK_W}
          height={SPARK_H}
          viewBox={`0 0 ${SPARK_W} ${SPARK_H}`}
          role="img"
          aria-label={label}
        >
          <title>{label}</title>
          <polyline className="fs-spark__line" points={points} />
        </svg>
      ) : (
        <span className="fs-muted fs-spark__none" role="img" aria-label={label}>
          one reading so far
        </span>
      )}
      <figcaption className="fs-spark__figures" aria-hidden="true">
        <span>
          now <b>{formatCount(summary.current)}</b>
        </span>
        <span>
          min <b>{formatCount(summary.min)}</b>
        </span>
        <span>
          max <b>{formatCount(summary.max)}</b>
        </span>
      </figcaption>
    </figure>
  );
}

function Members({ group }: { group: ConsumerGroup }) {
  return (
    <div className="fs-group__members" data-testid={mapMarkers.groupMembers}>
      <h4 className="fs-group__heading">Members ({group.members.length})</h4>
      {group.members.length === 0 ? (
        <p className="fs-muted fs-group__none">No active members: nobody in this group is consuming right now.</p>
      ) : (
        <ul className="fs-group__list">
          {group.members.map((m, i) => (
            <li key={`${m.clientId}-${m.host}-${i}`}>
              <code>{m.clientId}</code> <span className="fs-muted">on</span> <code>{m.host}</code>
              <span className="fs-group__assigned">
                {m.assignments.length === 0
                  ? 'no partitions assigned'
                  : m.assignments
                      .map(
                        (a) =>
                          `${a.topic} ${a.partitions.length === 1 ? 'partition' : 'partitions'} ${a.partitions.join(', ')}`,
                      )
                      .join('; ')}
              </span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function TopicLag({ topic }: { topic: GroupTopic }) {
  return (
    <table className="fs-group__table">
      <caption>
        <code className="fs-group__topic">{topic.topic}</code>
        <span className={`fs-lag--${lagLevel(topic.lag)}`}>
          {topic.lag === null ? 'no offsets committed yet' : `lag ${records(topic.lag)}`}
        </span>
        <span className="fs-muted">{formatRate(topic.rate)} consumed</span>
      </caption>
      <thead>
        <tr>
          <th scope="col">Partition</th>
          <th scope="col">Committed</th>
          <th scope="col">End offset</th>
          <th scope="col">Lag</th>
        </tr>
      </thead>
      <tbody>
        {topic.partitions.length === 0 && (
          <tr>
            <td colSpan={4} className="fs-muted">
              No partitions reported.
            </td>
          </tr>
        )}
        {topic.partitions.map((p) => (
          <tr
            key={p.partition}
            data-testid={mapMarkers.partitionRow}
            data-topic={topic.topic}
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
