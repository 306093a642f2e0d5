import { createServer, type Server } from 'node:http';
import * as model from '@aws-sdk/client-eventbridge';

type Rule = { Name: string; EventBusName: string; EventPattern?: string; Targets: { Id: string; Arn: string }[] };

const resolve = (s: unknown): unknown => {
  let v = s;
  while (typeof v === 'function' || (Array.isArray(v) && typeof v[0] === 'function'))
    v = typeof v === 'function' ? (v as () => unknown)() : (v as unknown[])[0];
  return v;
};

/**
 * What is wrong with a request body against the SDK's own service model (its schema of the
 * operation's input: `[3, ns, name, traits, members, member schemas, required count]` for a
 * structure, `[1, ns, name, traits, member]` for a list): unknown members, missing required ones.
 */
export function shapeErrors(schema: unknown, value: unknown, path: string): string[] {
  const s = resolve(schema);
  if (!Array.isArray(s)) return [];
  if (s[0] === 1) {
    if (!Array.isArray(value)) return [`${path}: expected a list`];
    return value.flatMap((item, i) => shapeErrors(s[4], item, `${path}[${i}]`));
  }
  if (s[0] !== 3) return [];
  if (!value || typeof value !== 'object' || Array.isArray(value)) return [`${path}: expected a ${String(s[2])}`];
  const v = value as Record<string, unknown>;
  const names = s[4] as string[];
  const schemas = s[5] as unknown[];
  const required = (s[6] as number | undefined) ?? 0;
  return [
    ...Object.keys(v)
      .filter((k) => !names.includes(k))
      .map((k) => `${path}.${k}: not a member of ${String(s[2])}`),
    ...names
      .slice(0, required)
      .flatMap((n) => (v[n] === undefined ? [`${path}.${n}: required by ${String(s[2])}`] : [])),
    ...names.flatMap((n, i) => (v[n] === undefined ? [] : shapeErrors(schemas[i], v[n], `${path}.${n}`))),
  ];
}

/**
 * A stand-in for the EventBridge control plane on 127.0.0.1 (no emulator runs here): it keeps
 * rules and targets, answers the calls Flowscope makes, records every request, and checks each
 * body against the SDK's model of its operation. It delivers nothing itself: the test does, with
 * real EventBridge envelopes sent to the target queue.
 */
export async function fakeEventBridge(
  rules: Rule[],
  onTarget: (arn: string) => void,
  /** Operations refused as to a credential without the permission. */
  deny: readonly string[] = [],
) {
  const requests: { op: string; body: Record<string, unknown>; errors: string[] }[] = [];
  const answer = (op: string, b: Record<string, unknown>): unknown => {
    const bus = String(b.EventBusName ?? 'default');
    const rule = rules.find((r) => r.Name === (b.Name ?? b.Rule) && r.EventBusName === bus);
    switch (op) {
      case 'ListRules':
        return {
          Rules: rules
            .filter((r) => r.EventBusName === bus && r.Name.startsWith(String(b.NamePrefix ?? '')))
            .map((r) => ({ Name: r.Name, EventBusName: bus, EventPattern: r.EventPattern, State: 'ENABLED' })),
        };
      case 'ListTargetsByRule':
        return { Targets: rule?.Targets ?? [] };
      case 'PutRule':
        rules.push({ Name: String(b.Name), EventBusName: bus, EventPattern: String(b.EventPattern), Targets: [] });
        return { RuleArn: `arn:aws:events:us-east-1:000000000000:rule/${bus}/${String(b.Name)}` };
      case 'PutTargets':
        for (const t of b.Targets as { Id: string; Arn: string }[]) {
          rule?.Targets.push(t);
          onTarget(t.Arn);
        }
        return { FailedEntryCount: 0, FailedEntries: [] };
      case 'RemoveTargets':
        if (rule) rule.Targets = rule.Targets.filter((t) => !(b.Ids as string[]).includes(t.Id));
        return { FailedEntryCount: 0, FailedEntries: [] };
      case 'DeleteRule':
        if (rule) rules.splice(rules.indexOf(rule), 1);
        return {};
      default:
        return undefined;
    }
  };
  const server: Server = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => {
      const op = String(req.headers['x-amz-target'] ?? '').replace('AWSEvents.', '');
      const body = JSON.parse(text || '{}') as Record<string, unknown>;
      const schema = (model as unknown as Record<string, unknown>)[`${op}Request$`];
      requests.push({
        op,
        body,
        errors: schema ? shapeErrors(schema, body, op) : [`${op}: no such operation in the model`],
      });
      if (deny.includes(op)) {
        res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(
          JSON.stringify({ __type: 'AccessDeniedException', message: `not authorized to perform: events:${op}` }),
        );
        return;
      }
      const out = answer(op, body);
      res.writeHead(out === undefined ? 400 : 200, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify(out ?? { __type: 'UnknownOperationException', message: op }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    rules,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
