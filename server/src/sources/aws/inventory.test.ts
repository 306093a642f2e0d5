import { describe, expect, it } from 'vitest';
import { endpointName, matcher } from './inventory.js';

describe('AWS map names', () => {
  it('names subscription endpoints and targets without credentials or query strings', () => {
    expect(endpointName('https', 'https://user:pa55@hooks.example.com/orders?token=secret')).toBe(
      'hooks.example.com/orders',
    );
    expect(endpointName('sqs', 'arn:aws:sqs:eu-west-1:123456789012:billing')).toBe('billing');
    expect(endpointName('lambda', 'arn:aws:lambda:eu-west-1:123456789012:function:ship-it')).toBe('ship-it');
    expect(endpointName('email', 'ops@example.com')).toBe('ops@example.com');
  });

  it('matches names by globs and /regex/', () => {
    const m = matcher(['orders-*', '/^pay(ments)?$/']);
    expect(['orders-eu', 'pay', 'payments', 'billing'].filter(m)).toEqual(['orders-eu', 'pay', 'payments']);
  });
});
