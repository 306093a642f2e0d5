import type { Admin, AssignerProtocol as Protocol } from 'kafkajs';
import { LAG_HISTORY_LIMIT, type Consumer, type ConsumerChannel, type ConsumerMember } from '@flowscope/shared';
import type { Watermarks } from './startPosition.js';

type Committed = Map<string, { at: number; offsets: Map<number, bigint> }>;

/**
 * Reads the consumer groups of one cluster through the admin API (ListGroups, DescribeGroups,
 * OffsetFetch, ListOffsets: all reads) and turns them into lag per partition, per topic and in
 * total, with a consumption rate from how far the committed offsets moved since the last reading.
 * Only topics Flowscope taps are reported; Flowscope's own groups are left out.
 */
export class GroupReader {
  private readonly previous = new Map<string, Committed>();
  private readonly history = new Map<string, { at: number; lag: number }[]>();

  constructor(
    private readonly source: string,
    private readonly cluster: string,
    private readonly isOwn: (groupId: string) => boolean,
    private readonly serviceOf: (groupId: string) => string,
  ) {}

  async read(
    admin: Admin,
    tapped: ReadonlySet<string>,
    marksOf: (topic: string) => Promise<Watermarks>,
    now: number,
  ): Promise<Consumer[]> {
    const { AssignerProtocol } = (await import('kafkajs')).default;
    const { groups } = await admin.listGroups();
    const ids = groups
      .filter((g) => (g.protocolType === 'consumer' || g.protocolType === '') && !this.isOwn(g.groupId))
      .map((g) => g.groupId)
      .sort();
    if (ids.length === 0) return [];
    const described = new Map((await admin.describeGroups(ids)).groups.map((g) => [g.groupId, g]));
    const out: Consumer[] = [];
    for (const groupId of ids) {
      const description = described.get(groupId);
      const members: ConsumerMember[] = (description?.members ?? []).map((m) => ({
        clientId: m.clientId,
        host: m.clientHost,
        assignments: decodeAssignment(AssignerProtocol, m.memberAssignment).filter((a) => tapped.has(a.channel)),
      }));
      const committed = (await admin.fetchOffsets({ groupId })).filter((t) => tapped.has(t.topic));
      const assignedTopics = new Set(members.flatMap((m) => m.assignments.map((a) => a.channel)));
      for (const topic of assignedTopics)
        if (!committed.some((t) => t.topic === topic)) committed.push({ topic, partitions: [] });
      if (committed.length === 0) continue;
      const topics: ConsumerChannel[] = [];
      const seen: Committed = new Map();
      for (const { topic, partitions } of committed.sort((a, b) => a.topic.localeCompare(b.topic))) {
        const marks = await marksOf(topic);
        const offsets = new Map(partitions.map((p) => [p.partition, p.offset]));
        const rows = [...marks.entries()]
          .sort(([a], [b]) => a - b)
          .map(([partition, { high }]) => {
            const c = offsets.get(partition);
            const has = c !== undefined && BigInt(c) >= 0n;
            const lag = has ? Number(BigInt(high) - BigInt(c)) : null;
            return { partition, committed: has ? c : null, high, lag: lag === null ? null : Math.max(0, lag) };
          });
        const known = rows.filter((r) => r.lag !== null);
        const now_ = new Map(known.map((r) => [r.partition, BigInt(r.committed ?? '0')]));
        seen.set(topic, { at: now, offsets: now_ });
        topics.push({
          channel: topic,
          partitions: rows,
          lag: known.length > 0 ? known.reduce((sum, r) => sum + (r.lag ?? 0), 0) : null,
          rate: this.rateOf(groupId, topic, now_, now),
        });
      }
      this.previous.set(groupId, seen);
      const withLag = topics.filter((t) => t.lag !== null);
      const lag = withLag.length > 0 ? withLag.reduce((sum, t) => sum + (t.lag ?? 0), 0) : null;
      const history = this.history.get(groupId) ?? [];
      if (lag !== null) history.push({ at: now, lag });
      if (history.length > LAG_HISTORY_LIMIT) history.splice(0, history.length - LAG_HISTORY_LIMIT);
      this.history.set(groupId, history);
      out.push({
        source: this.source,
        broker: 'kafka',
        cluster: this.cluster,
        kind: 'consumer-group',
        id: groupId,
        service: this.serviceOf(groupId),
        state: description?.state ?? 'Unknown',
        members,
        channels: topics,
        lag,
        history: [...history],
        updatedAt: now,
      });
    }
    return out;
  }

  private rateOf(groupId: string, topic: string, offsets: Map<number, bigint>, now: number): number {
    const before = this.previous.get(groupId)?.get(topic);
    if (!before || now <= before.at) return 0;
    let moved = 0n;
    for (const [partition, offset] of offsets) {
      const was = before.offsets.get(partition);
      if (was !== undefined && offset > was) moved += offset - was;
    }
    return Math.round((Number(moved) / ((now - before.at) / 1000)) * 10) / 10;
  }
}

/** A member's assignment as the classic consumer protocol encodes it; empty if it is not one. */
function decodeAssignment(protocol: typeof Protocol, buffer: Buffer): { channel: string; partitions: number[] }[] {
  if (!buffer || buffer.length === 0) return [];
  try {
    const decoded = protocol.MemberAssignment.decode(buffer);
    if (!decoded) return [];
    return Object.entries(decoded.assignment)
      .map(([channel, partitions]) => ({ channel, partitions: [...partitions].sort((a, b) => a - b) }))
      .sort((a, b) => a.channel.localeCompare(b.channel));
  } catch {
    return [];
  }
}
