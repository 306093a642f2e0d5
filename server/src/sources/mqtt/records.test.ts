import { describe, expect, it } from 'vitest';
import { correlationText, deliveryHeaders, RetainedState, toRecord, type Delivery } from './records.js';

const bytes = (text: string) => Buffer.from(text);

describe('MQTT deliveries as raw records', () => {
  it('shows QoS and the retain flag, and passes the payload on as it is (empty as null)', () => {
    const live = toRecord('plant/oven/1', bytes('{"t":180}'), { qos: 1, retain: false }, 'tap-1', 1000);
    expect(live).toEqual({
      channel: 'plant/oven/1',
      messageId: 'tap-1',
      timestamp: 1000,
      headers: { 'mqtt.qos': '1' },
      value: bytes('{"t":180}'),
    });
    const state = toRecord('plant/oven/1', Buffer.alloc(0), { qos: 0, retain: true, dup: true }, 'tap-2', 1001);
    expect(state.headers).toEqual({ 'mqtt.qos': '0', 'mqtt.retained': 'true', 'mqtt.dup': 'true' });
    expect(state.value).toBeNull();
  });

  it('puts MQTT 5 correlation data, response topic, content type and user properties under the names correlation reads', () => {
    const d: Delivery = {
      qos: 2,
      retain: false,
      properties: {
        correlationData: bytes('req-42'),
        responseTopic: 'replies/checkout-7',
        contentType: 'application/json',
        userProperties: {
          traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
          tenant: ['eu', 'us'],
        },
      },
    };
    expect(deliveryHeaders(d)).toEqual({
      'mqtt.qos': '2',
      'correlation-id': 'req-42',
      'reply-to': 'replies/checkout-7',
      'content-type': 'application/json',
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      tenant: ['eu', 'us'],
    });
  });

  it('names the CloudEvents attributes of a binary-mode event as on Kafka (ce_id, ce_source, ce_type), and only then', () => {
    const cloudEvent = deliveryHeaders({
      qos: 0,
      retain: false,
      properties: {
        userProperties: { specversion: '1.0', id: 'e-1', source: 'oven-service', type: 'oven.heated', partner: 'x' },
      },
    });
    expect(cloudEvent).toEqual({
      'mqtt.qos': '0',
      ce_specversion: '1.0',
      ce_id: 'e-1',
      ce_source: 'oven-service',
      ce_type: 'oven.heated',
      partner: 'x',
    });
    expect(deliveryHeaders({ qos: 0, retain: false, properties: { userProperties: { id: '7' } } })).toEqual({
      'mqtt.qos': '0',
      id: '7',
    });
  });

  it('reads correlation data as text when it is printable UTF-8, as hex otherwise', () => {
    expect(correlationText(bytes('order-1001/ä'))).toBe('order-1001/ä');
    expect(correlationText(Uint8Array.from([0xde, 0xad, 0xbe, 0xef]))).toBe('deadbeef');
    expect(correlationText(Uint8Array.from([0x61, 0x00, 0x62]))).toBe('610062');
    expect(correlationText(bytes('  '))).toBe('2020');
    expect(correlationText(new Uint8Array(0))).toBeUndefined();
  });
});

describe('retained state', () => {
  const retained = (payload: string): [Buffer, Delivery] => [bytes(payload), { qos: 1, retain: true }];
  const live = (payload: string): [Buffer, Delivery] => [bytes(payload), { qos: 1, retain: false }];

  it('shows retained state once: the same state replayed on a new subscribe is nothing new', () => {
    const state = new RetainedState();
    expect(state.isNew('door/1', ...retained('open'))).toBe(true);
    expect(state.isNew('door/1', ...retained('open'))).toBe(false);
    // Changed while the tap was away: shown again, as state.
    expect(state.isNew('door/1', ...retained('closed'))).toBe(true);
    // A live message is always new, even the same bytes; the retained copy of it is not.
    expect(state.isNew('door/2', ...live('open'))).toBe(true);
    expect(state.isNew('door/2', ...live('open'))).toBe(true);
    expect(state.isNew('door/2', ...retained('open'))).toBe(false);
  });

  it('tells states apart by their properties too, and forgets the topics seen longest ago first', () => {
    const state = new RetainedState(2);
    const withId = (id: string): [Buffer, Delivery] => [
      bytes('on'),
      { qos: 0, retain: true, properties: { correlationData: bytes(id) } },
    ];
    expect(state.isNew('lamp', ...withId('a'))).toBe(true);
    expect(state.isNew('lamp', ...withId('b'))).toBe(true);
    expect(state.isNew('lamp', ...withId('b'))).toBe(false);
    state.isNew('x', ...live('1'));
    state.isNew('y', ...live('1'));
    expect(state.isNew('lamp', ...withId('b'))).toBe(true);
  });
});
