import { isoTime } from '@flowscope/shared';
import type { ChannelEntry, EventTypeEntry, SchemaChange, TypeSemantics } from '@flowscope/shared';
import { Link } from 'react-router';
import { formatClock, formatCount, formatRate } from '../../lib/format';
import { insightsPath } from '../../lib/routes';
import { AnnotationBlock, type Annotations, annotationTarget } from '../annotations';
import { catalogMarkers } from './catalog.markers';
import { SchemaTable } from './SchemaTable';
import { breakingOf, semanticsOf, type CatalogInsights } from './useCatalogInsights';

export const channelAnchor = (id: string) => `channel-${id}`;

const when = (ms: number) => `${isoTime(ms).slice(0, 10)} ${formatClock(ms)}`;

function Names({ names, none }: { names: readonly string[]; none: string }) {
  if (names.length === 0) return <span className="fs-muted">{none}</span>;
  return (
    <>
      {names.map((n) => (
        <span key={n} className="fs-service-tag">
          {n}
        </span>
      ))}
    </>
  );
}

/** Pretty-prints a JSON example; anything else is shown as received. Always as text. */
function prettyExample(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/** Alert badges for an event type's breaking schema changes, each linking to the insights' schema section. */
function BreakingChanges({ changes }: { changes: readonly SchemaChange[] }) {
  if (changes.length === 0) return null;
  return (
    <ul className="fs-etype__breaking">
      {changes.map((c) => (
        <li key={`${c.path}\u0000${c.at}`}>
          <Link
            to={insightsPath('schema')}
            className="fs-breaking"
            data-testid={catalogMarkers.breakingChange}
            data-path={c.path}
            title={`Consumers that may break: ${c.consumers.join(', ') || 'none seen'}. See the schema changes in Insights.`}
          >
            <span aria-hidden="true">▲ </span>Breaking change: <code>{c.path}</code> {c.change}
          </Link>
        </li>
      ))}
    </ul>
  );
}

const NAMING = {
  fact: 'Reads as an event (a fact)',
  command: 'Reads as a command',
  unclear: 'Name reads as neither an event nor a command',
};
const PAYLOAD = { notification: 'a thin notification (ids only)', state: 'carries state', unknown: 'payload not read' };

/** What the type's name and payload say it is: information, linking to the insights' section. */
function Semantics({ of }: { of: TypeSemantics | undefined }) {
  if (!of) return null;
  return (
    <p className="fs-etype__semantics fs-muted" data-testid={catalogMarkers.semantics}>
      <Link to={insightsPath('semantics')}>
        {NAMING[of.naming]} · {PAYLOAD[of.payload]}
      </Link>
      {of.note ? ` · ${of.note}` : ''}
    </p>
  );
}

function EventType({
  entry,
  breaking,
  semantics,
}: {
  entry: EventTypeEntry;
  breaking: readonly SchemaChange[];
  semantics: TypeSemantics | undefined;
}) {
  return (
    <section className="fs-etype" data-testid={catalogMarkers.eventType} data-type={entry.type}>
      <header className="fs-etype__head">
        <h4 className="fs-etype__name">{entry.type}</h4>
        <span className="fs-muted">
          {formatCount(entry.count)} events · first {when(entry.firstSeenAt)} · last {when(entry.lastSeenAt)}
        </span>
      </header>
      <BreakingChanges changes={breaking} />
      <Semantics of={semantics} />
      <p className="fs-etype__producers">
        <span className="fs-muted">Produced by </span>
        <Names names={entry.producers} none="no known producer" />
      </p>
      {entry.schema ? (
        <SchemaTable schema={entry.schema} samples={entry.samples} />
      ) : (
        <p className="fs-muted">No schema: no JSON payload of this type has been read yet.</p>
      )}
      {entry.drift.length > 0 && (
        <div className="fs-drift" data-testid={catalogMarkers.drift}>
          <h5>Schema drift</h5>
          <ul>
            {entry.drift.map((d, i) => (
              <li key={`${d.at}-${d.path}-${i}`}>
                <span className="fs-muted">{when(d.at)}</span> <code>{d.path}</code> {d.change}
              </li>
            ))}
          </ul>
        </div>
      )}
      {entry.example !== undefined && (
        <details className="fs-etype__example">
          <summary>Example payload</summary>
          <pre>{prettyExample(entry.example)}</pre>
        </details>
      )}
    </section>
  );
}

/** Rate, events and types on the closed card, and how many breaking schema changes the insights found. */
function ChannelSummary({ channel, breakingCount }: { channel: ChannelEntry; breakingCount: number }) {
  return (
    <>
      <span className="fs-muted fs-channel__summary">
        {formatRate(channel.rate)} · {formatCount(channel.eventCount)} events · {channel.types.length}{' '}
        {channel.types.length === 1 ? 'type' : 'types'}
      </span>
      {breakingCount > 0 && (
        <span className="fs-breaking fs-breaking--quiet">
          <span aria-hidden="true">▲ </span>
          {breakingCount} breaking {breakingCount === 1 ? 'change' : 'changes'}
        </span>
      )}
    </>
  );
}

/** A channel: broker, rate, who produces and consumes, and per event type its schema and drift. */
export function ChannelCard({
  channel,
  expanded,
  onToggle,
  annotations,
  insights,
}: {
  channel: ChannelEntry;
  expanded: boolean;
  onToggle: () => void;
  annotations: Annotations;
  insights: CatalogInsights;
}) {
  const bodyId = `${channelAnchor(channel.id)}-body`;
  const breakingCount = channel.types.reduce((n, t) => n + breakingOf(insights, channel, t.type).length, 0);
  return (
    <article
      id={channelAnchor(channel.id)}
      className={`fs-card fs-channel${expanded ? ' is-expanded' : ''}`}
      data-testid={catalogMarkers.channel}
      data-channel-id={channel.id}
      data-channel-name={channel.name}
    >
      <h3 className="fs-card__title fs-channel__title">
        <button
          type="button"
          className="fs-channel__toggle"
          aria-expanded={expanded}
          aria-controls={bodyId}
          onClick={onToggle}
          data-testid={catalogMarkers.channelToggle}
        >
          <span className="fs-channel__chevron" aria-hidden="true">
            {expanded ? '▾' : '▸'}
          </span>
          <span className="fs-channel__name">{channel.name}</span>
          <span className="fs-badge fs-badge--quiet">
            {[channel.broker, channel.cluster].filter(Boolean).join(' · ')}
          </span>
          <ChannelSummary channel={channel} breakingCount={breakingCount} />
        </button>
      </h3>
      {expanded && (
        <div id={bodyId} className="fs-channel__body">
          <dl className="fs-facts">
            <div>
              <dt>Producers</dt>
              <dd>
                <Names names={channel.producers} none="none seen" />
              </dd>
            </div>
            <div>
              <dt>Consumers</dt>
              <dd>
                <Names names={channel.consumers} none="none seen" />
              </dd>
            </div>
          </dl>
          <AnnotationBlock
            target={annotationTarget.channel(channel.id)}
            annotations={annotations}
            subject={`channel ${channel.name}`}
          />
          {channel.types.length === 0 ? (
            <p className="fs-muted">No events read from this channel yet.</p>
          ) : (
            channel.types.map((t) => (
              <EventType
                key={t.type}
                entry={t}
                breaking={breakingOf(insights, channel, t.type)}
                semantics={semanticsOf(insights, channel, t.type)}
              />
            ))
          )}
        </div>
      )}
    </article>
  );
}
