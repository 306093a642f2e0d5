import { htmlDocs, markdownDocs, type ChannelEntry, type DocsInput } from '@flowscope/shared';
import { describe, expect, it } from 'vitest';

const evil = '<img src=x onerror="alert(1)"><script>alert(2)</script>';
const channel: ChannelEntry = {
  id: 'channel:kafka/prod/orders',
  name: `orders ${evil}`,
  broker: 'kafka',
  cluster: 'prod',
  eventCount: 3,
  rate: 0,
  producers: [`svc ${evil}`],
  consumers: ['billing'],
  types: [
    {
      type: `order.placed ${evil}`,
      count: 3,
      firstSeenAt: 0,
      lastSeenAt: 1,
      producers: [],
      schema: {
        type: 'object',
        required: ['orderId'],
        properties: {
          orderId: { type: 'string', examples: ['A-1'] },
          [`x${evil}`]: { type: 'string', 'x-firstSeenAt': 5 },
        },
      },
      samples: 3,
      drift: [{ at: 5, path: `x${evil}`, change: 'new field', kind: 'field-added', showing: 1 }],
    },
  ],
};
const input: DocsInput = {
  title: `Shop ${evil}`,
  generatedAt: 0,
  kinds: [
    {
      kind: `order.placed ${evil}`,
      steps: [{ step: `order.placed@orders`, count: 3, p50Ms: 0, p99Ms: 0 }],
      samples: 3,
      canonicalCount: 3,
      p50DurationMs: 10,
      p99DurationMs: 20,
    },
  ],
  channels: [channel],
  topology: {
    nodes: [
      { id: `service:svc ${evil}`, kind: 'service', name: `svc ${evil}`, eventCount: 1, rate: 0, lastSeenAt: 0 },
      { id: 'service:billing', kind: 'service', name: 'billing', eventCount: 1, rate: 0, lastSeenAt: 0 },
    ],
    edges: [],
  },
  annotations: { [`kind:order.placed ${evil}`]: `Placed by the web shop ${evil}` },
  formatTime: (ms) => new Date(ms).toISOString(),
};

describe('documentation bundle', () => {
  it('writes one Markdown file per flow kind, service and channel, plus an index that links them', () => {
    const files = markdownDocs(input);
    expect(Object.keys(files).sort()).toEqual([
      'README.md',
      'channels/prod-orders-img-src-x-onerror-alert-1-script-alert-2-script.md',
      'kinds/order.placed-img-src-x-onerror-alert-1-script-alert-2-script.md',
      'services/billing.md',
      'services/svc-img-src-x-onerror-alert-1-script-alert-2-script.md',
    ]);
    const all = Object.values(files).join('\n');
    expect(all).not.toMatch(/<img|<script/); // every < from traffic is escaped
    expect(files['README.md']).toContain('```mermaid\nflowchart LR');
    expect(Object.values(files).find((f) => f.startsWith('# Flow kind'))).toContain('> Placed by the web shop');
  });

  it('escapes link syntax in names, also inside the text of the index links', () => {
    const name = '[x](javascript:alert(1))';
    const files = markdownDocs({
      ...input,
      topology: {
        nodes: [{ id: `service:${name}`, kind: 'service', name, eventCount: 1, rate: 0, lastSeenAt: 0 }],
        edges: [],
      },
    });
    // marked turned `- [\\[x\\](javascript:…)](file)` into a javascript: link of its own.
    expect(files['README.md']).toContain('- [\\[x\\]\\(javascript:alert\\(1\\)\\)](services/x-javascript-alert-1.md)');
  });

  it('writes a self-contained HTML page where names are text: no element or script comes from traffic', () => {
    const html = htmlDocs(input);
    const doc = new DOMParser().parseFromString(html, 'text/html');
    expect(doc.querySelectorAll('script, img, iframe, link, object')).toHaveLength(0);
    expect(doc.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content')).toBe(
      "default-src 'none'; style-src 'unsafe-inline'",
    );
    const headings = [...doc.querySelectorAll('h2')].map((h) => h.textContent);
    expect(headings).toContain(`Flow kind: order.placed ${evil}`);
    expect(headings).toContain(`Channel: orders ${evil}`);
    expect(doc.body.textContent).toContain(`Placed by the web shop ${evil}`);
    expect([...doc.querySelectorAll('td')].map((t) => t.textContent)).toContain(`x${evil}`);
    // Every link stays inside the page.
    expect([...doc.querySelectorAll('a')].every((a) => a.getAttribute('href')?.startsWith('#s-'))).toBe(true);
  });
});
