import { describe, expect, it } from 'vitest';
import { ackKind, isBlanket, isInternalSubject, matchNames, parseAck, subjectMatches } from './subjects.js';

describe('NATS subjects', () => {
  it('matches wildcards as the server does: * one token, > one or more trailing tokens', () => {
    expect(subjectMatches('orders.*', 'orders.created')).toBe(true);
    expect(subjectMatches('orders.*', 'orders.created.eu')).toBe(false);
    expect(subjectMatches('orders.>', 'orders.created.eu')).toBe(true);
    expect(subjectMatches('orders.>', 'orders')).toBe(false);
    expect(subjectMatches('*.created', 'payments.created')).toBe(true);
    expect(subjectMatches('orders.created', 'orders.created')).toBe(true);
    expect(subjectMatches('orders.created', 'orders')).toBe(false);
    expect(subjectMatches('>', '$JS.API.INFO')).toBe(true);
  });

  it("tells the server's and clients' own subjects from applications' events", () => {
    for (const s of [
      '$JS.API.STREAM.LIST',
      '$JS.EVENT.ADVISORY.API',
      '_INBOX.abc.1',
      '$KV.cfg.key',
      '$O.files.C.x',
      '$JS.ACK.S.c.1.1.1.1.0',
    ])
      expect(isInternalSubject(s)).toBe(true);
    for (const s of ['orders.created', 'JS.orders', 'inbox.new']) expect(isInternalSubject(s)).toBe(false);
    expect(isBlanket('>')).toBe(true);
    expect(isBlanket('*.>')).toBe(true);
    expect(isBlanket('orders.>')).toBe(false);
  });

  it('selects names exactly, by glob or by /regex/, and says which patterns matched nothing', () => {
    expect(
      matchNames(['ORDERS', 'PAY_*', '/^AUDIT\\d$/', 'MISSING'], ['ORDERS', 'PAY_EU', 'PAY_US', 'AUDIT1', 'OTHER']),
    ).toEqual({
      matched: ['AUDIT1', 'ORDERS', 'PAY_EU', 'PAY_US'],
      missing: ['MISSING'],
    });
  });

  it("reads an ack subject (v1 and v2 forms) and the ack body's meaning", () => {
    expect(parseAck('$JS.ACK.ORDERS.billing.2.17.5.1795715214762997811.3')).toEqual({
      stream: 'ORDERS',
      consumer: 'billing',
      delivered: 2,
      streamSeq: 17,
      consumerSeq: 5,
      timestamp: 1795715214762,
      pending: 3,
    });
    expect(parseAck('$JS.ACK.hub.ACCHASH.ORDERS.billing.1.4.4.1795715214762997811.0.tok')).toMatchObject({
      stream: 'ORDERS',
      consumer: 'billing',
      streamSeq: 4,
    });
    expect(parseAck('$JS.ACK.ORDERS.billing')).toBeUndefined();
    expect(parseAck('orders.created')).toBeUndefined();
    expect(['', '+ACK', '-NAK {"delay":1}', '+TERM', '+WPI', '+NXT', '?'].map(ackKind)).toEqual([
      'ack',
      'ack',
      'nak',
      'term',
      'progress',
      'next',
      'unknown',
    ]);
  });
});
