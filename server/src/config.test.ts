import { describe, expect, it } from 'vitest';
import { buildCli, toConfig } from './config.js';

const parse = (...args: string[]) => toConfig(buildCli().exitOverride().parse(args, { from: 'user' }).opts());

describe('config', () => {
  it('runs the demo on 127.0.0.1 with a random token by default', () => {
    const a = parse();
    const b = parse();
    expect(a.ok && b.ok).toBe(true);
    if (!a.ok || !b.ok) return;
    expect(a.config).toMatchObject({ host: '127.0.0.1', port: 7420, demo: true });
    expect(a.config.kafka).toBeUndefined();
    expect(a.config.token.length).toBeGreaterThanOrEqual(22); // 128+ bits in base64url
    expect(a.config.token).not.toBe(b.config.token);
  });

  it('turns the demo off when a broker is given, and reads topics and regexes', () => {
    const r = parse('--kafka', 'localhost:9092', '--topics', 'orders,/pay.*/', '--from', 'earliest');
    expect(r.ok && r.config).toMatchObject({
      demo: false,
      kafka: { brokers: ['localhost:9092'], topics: ['orders', '/pay.*/'], from: 'earliest' },
    });
  });

  it('refuses to bind beyond loopback without a chosen token, and says why', () => {
    const r = parse('--host', '0.0.0.0');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.join('\n')).toMatch(/--host: binding to 0.0.0.0 .*FLOWSCOPE_TOKEN/);
  });

  it('points at the bad option for a malformed broker address', () => {
    const r = parse('--kafka', 'not a broker');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]).toMatch(/^--kafka: expected host:port/);
  });

  it('adds correlation key rules from --key, scoped to channels, and rejects malformed ones', () => {
    const r = parse('--key', 'customer=payload:data.customer.id@customers.*', '--key', 'tenant=header:x-tenant');
    expect(r.ok && r.config.rules.slice(-2)).toEqual([
      { name: 'customer', from: 'payload', path: 'data.customer.id', channel: 'customers.*' },
      { name: 'tenant', from: 'header', path: 'x-tenant' },
    ]);
    expect(() => parse('--key', 'oops')).toThrow(/not a key rule/);
  });
});
