import type { ChannelEntry } from '../catalog/channels.js';
import { percentile, type TemplateAcc } from '../correlation/templates.js';
import type {
  ConsumerIdempotency,
  ConsumerLagStat,
  DeadLetterStat,
  Finding,
  InsightsResponse,
  KindWindow,
  OrderingStat,
  SchemaChange,
  TypeSemantics,
} from '../model/insights.js';
import type { InsightsState } from './observe.js';
import { namingOf, payloadKindOf } from './semantics.js';

const MINUTE = 60_000;
/** The window over time covers the newest minutes of it. */
const OVER_TIME_MINUTES = 60;
const MAX_FINDINGS = 200;
/** The most rows a section lists (the response stays small on a system with thousands of types). */
const MAX_ROWS = 500;

export type InsightsInput = {
  readonly state: InsightsState;
  readonly templates: ReadonlyMap<string, TemplateAcc>;
  readonly channels: readonly ChannelEntry[];
  readonly now: number;
};

const percentiles = (values: readonly number[]) => ({
  p50Ms: percentile(values, 50),
  p95Ms: percentile(values, 95),
  p99Ms: percentile(values, 99),
});

/** Every insight, and the findings ranked by how many flows they affect. */
export function insightsReport(input: InsightsInput): InsightsResponse {
  const idempotency = idempotencyOf(input.state);
  const ordering = orderingOf(input.state);
  const changes = schemaChangesOf(input.channels);
  const semantics = semanticsOf(input.channels);
  const deadLetters = deadLettersOf(input.state);
  const findings = [
    ...idempotency.filter((c) => c.verdict === 'not-idempotent').map(idempotencyFinding),
    ...changes.filter((c) => c.change.breaking).map(schemaFinding),
    ...ordering.filter((o) => o.reordered > 0).map(orderingFinding),
    ...deadLetters.filter((d) => d.count > 0).map(deadLetterFinding),
    ...semantics.filter((s) => s.naming === 'command' && s.consumers > 1).map(commandFinding),
  ];
  const rank = { alert: 0, warning: 1, info: 2 } as const;
  findings.sort((a, b) => b.flows - a.flows || rank[a.severity] - rank[b.severity] || a.title.localeCompare(b.title));
  return {
    generatedAt: input.now,
    findings: findings.slice(0, MAX_FINDINGS),
    idempotency: idempotency.slice(0, MAX_ROWS),
    consistency: {
      kinds: kindWindowsOf(input.templates).slice(0, MAX_ROWS),
      consumers: consumerLagsOf(input.state).slice(0, MAX_ROWS),
    },
    ordering: ordering.slice(0, MAX_ROWS),
    schemaChanges: changes.slice(0, MAX_ROWS).map((c) => c.change),
    semantics: semantics.slice(0, MAX_ROWS),
    deadLetters: deadLetters.slice(0, MAX_ROWS),
  };
}

/** Per consumer and channel: the duplicated messages it reacted to, folded ones and those held. */
function idempotencyOf(state: InsightsState): ConsumerIdempotency[] {
  return [...state.tallies]
    .map(([key, t]): ConsumerIdempotency => {
      const [service = '', channel = ''] = key.split('\u0000');
      return {
        service,
        channel,
        duplicates: t.duplicates,
        reactedTwice: t.reactedTwice,
        verdict: t.reactedTwice > 0 ? 'not-idempotent' : 'idempotent',
        evidence: t.evidence.slice(0, 5),
      };
    })
    .sort((a, b) => b.reactedTwice - a.reactedTwice || a.service.localeCompare(b.service));
}

/** Per flow kind: how long until its last consumer reacted, over the newest completed flows. */
function kindWindowsOf(templates: ReadonlyMap<string, TemplateAcc>): KindWindow[] {
  const out: KindWindow[] = [];
  for (const acc of templates.values()) {
    if (acc.durations.length === 0) continue;
    const byMinute = new Map<number, number[]>();
    acc.endedAt.forEach((at, i) => {
      const minute = Math.floor(at / MINUTE) * MINUTE;
      const list = byMinute.get(minute) ?? [];
      list.push(acc.durations[i] ?? 0);
      byMinute.set(minute, list);
    });
    const overTime = [...byMinute]
      .sort(([a], [b]) => a - b)
      .slice(-OVER_TIME_MINUTES)
      .map(([minute, list]) => ({ minute, p95Ms: percentile(list, 95), samples: list.length }));
    out.push({
      kind: acc.kind,
      samples: acc.durations.length,
      ...percentiles(acc.durations),
      overTime,
      ...(acc.slowest ? { slowestFlowId: acc.slowest.id } : {}),
    });
  }
  return out.sort((a, b) => b.samples - a.samples || a.kind.localeCompare(b.kind));
}

function consumerLagsOf(state: InsightsState): ConsumerLagStat[] {
  return [...state.lags]
    .map(([key, lags]) => {
      const [service = '', channel = ''] = key.split('\u0000');
      return { service, channel, samples: lags.values.length, ...percentiles(lags.values) };
    })
    .sort((a, b) => a.service.localeCompare(b.service) || a.channel.localeCompare(b.channel));
}

function orderingOf(state: InsightsState): OrderingStat[] {
  return [...state.ordering.values()]
    .map((o) => ({
      channel: o.channel,
      ...(o.partition !== undefined ? { partition: o.partition } : {}),
      basis: o.basis,
      checked: o.checked,
      reordered: o.reordered,
      examples: o.examples.map((e) => ({ ...e })),
    }))
    .sort(
      (a, b) =>
        b.reordered - a.reordered ||
        a.channel.localeCompare(b.channel) ||
        (a.partition ?? -1) - (b.partition ?? -1) ||
        a.basis.localeCompare(b.basis),
    );
}

/** A judged change, with the events that showed it (its share of the type's sampled payloads). */
type JudgedChange = { readonly change: SchemaChange; readonly events: number };

/**
 * Each detected schema change, judged: a new field is compatible both ways (readers ignore what
 * they do not know); a required field gone breaks readers that need it (not forward compatible);
 * a field of another type breaks readers both ways.
 */
function schemaChangesOf(channels: readonly ChannelEntry[]): JudgedChange[] {
  const out: JudgedChange[] = [];
  for (const ch of channels) {
    for (const t of ch.types) {
      for (const d of t.drift) {
        const forward = d.kind === 'field-added';
        const backward = d.kind !== 'type-changed';
        const change: SchemaChange = {
          channel: ch.name,
          type: t.type,
          path: d.path,
          kind: d.kind,
          change: d.change,
          at: d.at,
          forward,
          backward,
          breaking: !forward || !backward,
          ...(d.producer !== undefined ? { producer: d.producer } : {}),
          consumers: [...ch.consumers],
          ...(d.eventId !== undefined ? { eventId: d.eventId } : {}),
        };
        out.push({ change, events: t.samples > 0 ? Math.round((d.showing / t.samples) * t.count) : 1 });
      }
    }
  }
  return out.sort((a, b) => Number(b.change.breaking) - Number(a.change.breaking) || b.change.at - a.change.at);
}

function semanticsOf(channels: readonly ChannelEntry[]): TypeSemantics[] {
  const out: TypeSemantics[] = [];
  for (const ch of channels) {
    for (const t of ch.types) {
      const naming = namingOf(t.type);
      const payload = payloadKindOf(t.schema);
      const consumers = ch.consumers.length;
      const note =
        naming === 'command' && consumers > 1
          ? `A command read by ${consumers} services: a command usually has one handler; a fact (past tense) suits a broadcast.`
          : undefined;
      out.push({ channel: ch.name, type: t.type, naming, payload, consumers, ...(note ? { note } : {}) });
    }
  }
  return out.sort((a, b) => a.channel.localeCompare(b.channel) || a.type.localeCompare(b.type));
}

function deadLettersOf(state: InsightsState): DeadLetterStat[] {
  return [...state.deadLetters]
    .map(([channel, acc]) => ({
      channel,
      count: acc.count,
      sources: [...acc.sources]
        .map(([key, s]) => {
          const [from = '', producer = ''] = key.split('\u0000');
          return { channel: from, producer, count: s.count, eventId: s.eventId };
        })
        .sort((a, b) => b.count - a.count),
      reasons: [...acc.reasons].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count),
      redriven: acc.redriven,
    }))
    .sort((a, b) => b.count - a.count || a.channel.localeCompare(b.channel));
}

const idempotencyFinding = (c: ConsumerIdempotency): Finding => ({
  kind: 'not-idempotent',
  severity: 'alert',
  title: `${c.service} is not idempotent on ${c.channel}`,
  detail: `Of ${c.duplicates} messages it received more than once, it reacted to ${c.reactedTwice} again: one effect per copy.`,
  flows: c.reactedTwice,
  evidence: c.evidence,
});

function schemaFinding({ change: c, events }: JudgedChange): Finding {
  const who = c.producer ? ` by ${c.producer}` : '';
  const readers = c.consumers.length > 0 ? c.consumers.join(', ') : 'no consumer seen yet';
  return {
    kind: 'breaking-schema',
    severity: 'alert',
    title: `Breaking change to ${c.type} on ${c.channel}: ${c.path}`,
    detail: `${c.change}, introduced${who}. Consumers that may break: ${readers}.`,
    flows: Math.max(1, events),
    evidence: c.eventId ? [c.eventId] : [],
  };
}

function orderingFinding(o: OrderingStat): Finding {
  const where = o.partition !== undefined ? `${o.channel} partition ${o.partition}` : o.channel;
  return {
    kind: 'reordering',
    severity: 'warning',
    title: `${where} reorders events (by ${o.basis})`,
    detail: `${o.reordered} of ${o.checked} events of an entity arrived after one with a greater ${o.basis}.`,
    flows: o.reordered,
    evidence: o.examples.map((e) => e.eventId),
  };
}

function deadLetterFinding(d: DeadLetterStat): Finding {
  const top = d.reasons[0];
  return {
    kind: 'dead-letters',
    severity: 'warning',
    title: `${d.count} dead letters on ${d.channel}`,
    detail: `${top ? `Most often: ${top.reason} (${top.count}). ` : ''}${d.redriven} redriven.`,
    flows: d.count,
    evidence: d.sources.slice(0, 5).map((s) => s.eventId),
  };
}

/** Information about a name: it affects no flow, so it ranks after every finding that does. */
function commandFinding(s: TypeSemantics): Finding {
  return {
    kind: 'broadcast-command',
    severity: 'info',
    title: `${s.type} reads as a command on a broadcast channel (${s.channel})`,
    detail: s.note ?? '',
    flows: 0,
    evidence: [],
  };
}
