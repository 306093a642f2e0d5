import type { Consumer, ConsumerMember } from '@flowscope/shared';
import { mapMarkers } from '../map.markers';
import { kindName } from './consumerText';

type Assignment = ConsumerMember['assignments'][number];

/** `orders partitions 0, 1`; a channel alone where the broker has no partitions. */
const assignmentText = (a: Assignment) =>
  a.partitions.length === 0
    ? a.channel
    : `${a.channel} ${a.partitions.length === 1 ? 'partition' : 'partitions'} ${a.partitions.join(', ')}`;

function nobodyText(c: Consumer): string {
  const where =
    c.kind === 'consumer-group' ? 'nobody in this group is consuming' : `nobody consumes from this ${kindName(c.kind)}`;
  return `No active members: ${where} right now.`;
}

/** Who is consuming, and (on brokers with partitions) what each member is assigned. */
export function ConsumerMembers({ consumer: c }: { consumer: Consumer }) {
  const partitioned = c.channels.some((ch) => ch.partitions !== undefined);
  return (
    <div className="fs-consumer__members" data-testid={mapMarkers.consumerMembers}>
      <h4 className="fs-consumer__heading">Members ({c.members.length})</h4>
      {c.members.length === 0 ? (
        <p className="fs-muted fs-consumer__none">{nobodyText(c)}</p>
      ) : (
        <ul className="fs-consumer__list">
          {c.members.map((m, i) => (
            <li key={`${m.clientId}-${m.host}-${i}`}>
              <code>{m.clientId}</code> <span className="fs-muted">on</span> <code>{m.host}</code>
              {(m.assignments.length > 0 || partitioned) && (
                <span className="fs-consumer__assigned">
                  {m.assignments.length === 0 ? 'no partitions assigned' : m.assignments.map(assignmentText).join('; ')}
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
