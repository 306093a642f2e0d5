import { Parser } from '@asyncapi/parser';
import { describe, expect, it } from 'vitest';
import type { ChannelEntry } from '../catalog/channels.js';
import { asyncApiDocument } from './asyncapi.js';

const channel = (name: string, over: Partial<ChannelEntry> = {}): ChannelEntry => ({
  id: `channel:kafka/prod/${name}`,
  name,
  broker: 'kafka',
  cluster: 'prod',
  eventCount: 10,
  rate: 1,
  producers: ['order-service'],
  consumers: ['payment-service'],
  types: [
    {
      type: 'order.placed',
      count: 10,
      firstSeenAt: 1,
      lastSeenAt: 2,
      producers: ['order-service'],
      schema: {
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        type: 'object',
        required: ['orderId'],
        properties: { orderId: { type: 'string', examples: ['A-1'] }, total: { type: ['integer', 'number'] } },
      },
      samples: 10,
      drift: [],
      example: '{"orderId":"A-1","total":3}',
    },
  ],
  ...over,
});

/** The parser with remote references off: a document must stand on its own. */
const parser = new Parser({ __unstable: { resolver: { resolvers: [] } } });

async function errorsOf(doc: Record<string, unknown>) {
  const diagnostics = await parser.validate(JSON.stringify(doc));
  return diagnostics.filter((d) => d.severity === 0).map((d) => `${d.path.join('.')}: ${d.message}`);
}

// @asyncapi/parser loads its rulesets on first use: seconds on a busy 2-core machine.
describe('AsyncAPI 3.0 export', { timeout: 60_000 }, () => {
  it('validates without errors in @asyncapi/parser, with servers, channels, messages and operations', async () => {
    const doc = asyncApiDocument({
      title: 'Shop (observed)',
      version: '2026-11-22',
      servers: [{ name: 'prod', host: 'broker-1:9092', protocol: 'kafka' }],
      channels: [
        channel('orders'),
        channel('payments', {
          producers: ['payment-service'],
          consumers: [],
          types: [{ type: '(untyped)', count: 1, firstSeenAt: 1, lastSeenAt: 1, producers: [], samples: 0, drift: [] }],
        }),
      ],
      descriptions: { 'channel:kafka/prod/orders': 'Orders as placed by customers.' },
    });
    expect(await errorsOf(doc)).toEqual([]);
    // The check itself can fail: a document without info.title and version does not pass.
    expect(await errorsOf({ ...doc, info: {} })).not.toEqual([]);
    const parsed = await parser.parse(JSON.stringify(doc));
    expect(
      parsed.document
        ?.channels()
        .all()
        .map((c) => c.address()),
    ).toEqual(['orders', 'payments']);
    expect(
      parsed.document
        ?.operations()
        .all()
        .map((o) => `${o.action()} ${o.channels().all()[0]?.address()}`)
        .sort(),
    ).toEqual(['receive orders', 'send orders', 'send payments']);
    expect(
      parsed.document
        ?.components()
        .messages()
        .all()
        .map((m) => m.name()),
    ).toContain('order.placed');
  });

  it('keeps hostile or clashing names valid: keys are sanitised, titles keep the name', async () => {
    const doc = asyncApiDocument({
      title: 'x',
      version: '1',
      servers: [],
      channels: [
        channel('orders/#eu', { producers: ['svc with spaces'], consumers: ['<script>'] }),
        channel('orders?#eu', { producers: ['svc:with:colons'], consumers: [] }),
      ],
    });
    expect(await errorsOf(doc)).toEqual([]);
    expect(Object.keys(doc.channels as object)).toEqual(['prod.orders__eu', 'prod.orders__eu_2']);
  });
});
