/**
 * One order across three brokers, each hop with its own correlation convention, kept as data:
 *
 * - Kafka, `order.placed`: CloudEvents binary-mode headers (`ce_id`, `ce_source`, `ce_type`) and
 *   W3C trace context; the order id and the checkout's correlation id are payload fields.
 * - RabbitMQ, `payment.captured`: AMQP properties (`correlation_id`, `message_id`, `app_id`,
 *   `type`) and a `causation-id` application header naming the order event; the payload knows
 *   no order id.
 * - Redis Streams, `notification.sent`: the JSON body in the entry's `payload` field with the
 *   order id, and `causationId`, `messageId`, `type` and `producer` fields naming the payment.
 *
 * Nothing links all three but the conventions Flowscope knows without configuration: Kafka and
 * RabbitMQ share the correlation id (a payload field on one, an AMQP property on the other),
 * Redis and Kafka the order id, and each later hop names its cause. Names and ids are fresh per
 * run (`run`: 6 hex digits), so runs never join each other's flows.
 */
export function crossBrokerOrder(run: string) {
  const orderId = `XB-${run}`;
  const correlationId = `checkout-${run}`;
  const traceId = `${run}${'e2eb'.repeat(6)}ab`;
  const ids = { order: `evt-order-${run}`, payment: `evt-payment-${run}`, notification: `evt-notify-${run}` };
  return {
    orderId,
    correlationId,
    traceId,
    paymentId: `PAY-${run}`,
    ids,
    kafka: {
      topic: `e2e-orders-${run}`,
      service: 'checkout-api',
      type: 'order.placed',
      message: {
        key: orderId,
        value: JSON.stringify({ orderId, correlationId, customerId: 'C-4711', total: 59.9, currency: 'EUR' }),
        headers: {
          ce_specversion: '1.0',
          ce_id: ids.order,
          ce_source: 'checkout-api',
          ce_type: 'order.placed',
          'content-type': 'application/json',
          traceparent: `00-${traceId}-${run}0000000001-01`,
        },
      },
    },
    rabbitmq: {
      exchange: `e2e-payments-${run}`,
      /** The billing application's queue: Flowscope's mirror-mode tap binds the same key. */
      queue: `e2e-billing-${run}`,
      bindingKey: 'payment.*',
      routingKey: 'payment.captured',
      service: 'payment-service',
      type: 'payment.captured',
      body: JSON.stringify({ paymentId: `PAY-${run}`, amount: 59.9, currency: 'EUR', method: 'card' }),
      properties: {
        correlationId,
        messageId: ids.payment,
        appId: 'payment-service',
        type: 'payment.captured',
        contentType: 'application/json',
        headers: { 'causation-id': ids.order },
      },
    },
    redis: {
      stream: `e2e-notifications-${run}`,
      service: 'notification-service',
      type: 'notification.sent',
      fields: {
        payload: JSON.stringify({ orderId, channel: 'email', template: 'order-paid' }),
        causationId: ids.payment,
        messageId: ids.notification,
        type: 'notification.sent',
        producer: 'notification-service',
      },
    },
    /** Waits before the RabbitMQ and the Redis hop: the latencies the trace must show. */
    delaysMs: { payment: 300, notification: 500 },
  } as const;
}
