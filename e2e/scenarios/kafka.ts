/** Records a producer writes to real Kafka in the browser tests, kept as data. */
export type ScenarioMessage = {
  readonly label: string;
  readonly key: string | Buffer | null;
  readonly value: string | Buffer | null;
  readonly headers?: Record<string, string>;
};

export const shopTopics = { orders: 'e2e-orders', payments: 'e2e-payments' } as const;

export const shopMessages: Record<keyof typeof shopTopics, ScenarioMessage[]> = {
  orders: [
    {
      label: 'order placed',
      key: 'K-501',
      value: JSON.stringify({ orderId: 'K-501', customerId: 'C-7', total: 42.5, currency: 'EUR' }),
      headers: { 'correlation-id': 'kc-501', ce_source: 'checkout-api', ce_type: 'order.placed', ce_id: 'm-501' },
    },
  ],
  payments: [
    {
      label: 'payment captured',
      key: 'K-501',
      value: JSON.stringify({ orderId: 'K-501', paymentId: 'KP-9', amount: 42.5 }),
      headers: { ce_source: 'billing-worker', ce_type: 'payment.captured', 'causation-id': 'm-501' },
    },
  ],
};

export const badInputTopic = 'e2e-bad-input';

/** Messages a real system sends by mistake: each must be shown as what it is. */
export const badInputMessages: ScenarioMessage[] = [
  { label: 'binary', key: 'bin-1', value: Buffer.from([0x00, 0x01, 0xff, 0xfe, 0x42, 0x43]) },
  { label: 'invalid utf-8', key: 'utf8-1', value: Buffer.from([0x68, 0x69, 0xc3, 0x28]) },
  { label: 'empty', key: 'empty-1', value: null },
  { label: 'no key', key: null, value: 'a message without a key' },
  { label: 'broken json', key: 'json-1', value: '{"orderId": "K-9", "total": ' },
  { label: 'markup', key: 'html-1', value: JSON.stringify({ note: '<img src=x onerror="window.__pwned=1">' }) },
  { label: 'huge', key: 'huge-1', value: JSON.stringify({ orderId: 'K-HUGE', blob: 'x'.repeat(400 * 1024) }) },
];

/**
 * One order through three topics, each with another correlation convention: a header on the
 * first, W3C trace context on the second, a payload field on the third, bridged by events that
 * carry two of them.
 */
export const crossConventionOrder = (() => {
  const orderId = 'X-7001';
  const trace = '7001aaaa7001bbbb7001cccc7001dddd';
  const tp = (span: string) => `00-${trace}-${span.padStart(16, '0')}-01`;
  return {
    orderId,
    topics: { checkout: 'e2e-checkout', billing: 'e2e-billing', shipping: 'e2e-shipping' },
    messages: <Record<'checkout' | 'billing' | 'shipping', ScenarioMessage[]>>{
      checkout: [
        {
          label: 'placed',
          key: null,
          value: JSON.stringify({ cart: 3 }),
          headers: { 'correlation-id': 'corr-7001', ce_type: 'order.placed', ce_source: 'checkout-api' },
        },
        {
          label: 'validated',
          key: null,
          value: JSON.stringify({ valid: true }),
          headers: {
            'correlation-id': 'corr-7001',
            traceparent: tp('1'),
            ce_type: 'order.validated',
            ce_source: 'checkout-api',
          },
        },
      ],
      billing: [
        {
          label: 'requested',
          key: null,
          value: JSON.stringify({ amount: 10 }),
          headers: { traceparent: tp('2'), ce_type: 'payment.requested', ce_source: 'billing-worker' },
        },
        {
          label: 'captured',
          key: null,
          value: JSON.stringify({ orderId, amount: 10 }),
          headers: { traceparent: tp('3'), ce_type: 'payment.captured', ce_source: 'billing-worker' },
        },
      ],
      shipping: [
        {
          label: 'shipped',
          key: null,
          value: JSON.stringify({ orderId, carrier: 'DHL' }),
          headers: { ce_type: 'shipment.created', ce_source: 'dispatch' },
        },
      ],
    },
  };
})();

/**
 * An application's consumer group that reads a two-partition topic, commits, and then falls
 * behind: records per partition it consumes and commits, and records written after that.
 */
export const laggingGroup = {
  topic: 'e2e-ledger',
  groupId: 'e2e-ledger-app',
  clientId: 'e2e-ledger-worker',
  /** Drawn as this service (`--group-service e2e-ledger-app=ledger`). */
  service: 'ledger',
  producer: 'till-api',
  committed: { 0: 3, 1: 2 },
  behind: { 0: 4, 1: 3 },
} as const;
