/**
 * One order across five brokers, each hop with its own correlation convention, kept as data:
 *
 * - Kafka, `order.placed`: CloudEvents binary-mode headers (`ce_id`, `ce_source`, `ce_type`) and
 *   W3C trace context; the order id and the checkout's correlation id are payload fields.
 * - RabbitMQ, `payment.captured`: AMQP properties (`correlation_id`, `message_id`, `app_id`,
 *   `type`) and a `causation-id` application header naming the order event; the payload knows
 *   no order id.
 * - NATS JetStream, `inventory.committed`: `Nats-Msg-Id` (JetStream's deduplication id) as its
 *   id, the order's `traceparent` with a span of its own, an `x-causation-id` header naming the
 *   payment; type and producer are payload fields, and the payload knows no order id.
 * - MQTT 5, `device.pick-acknowledged`: a warehouse scanner's acknowledgement with the checkout's
 *   correlation id as MQTT 5 correlation data, and its id, cause (the inventory message's
 *   `Nats-Msg-Id`), type and producer as user properties.
 * - Redis Streams, `notification.sent`: the JSON body in the entry's `payload` field with the
 *   order id, and `causationId`, `messageId`, `type` and `producer` fields naming the scanner's
 *   acknowledgement.
 *
 * Nothing links them but the conventions Flowscope knows without configuration: the correlation
 * id (a Kafka payload field, an AMQP property, MQTT correlation data), the trace id (Kafka and
 * NATS), the order id (Kafka and Redis), and each later hop naming its cause. Names and ids are
 * fresh per run (`run`: 6 hex digits), so runs never join each other's flows.
 */
export function crossBrokerOrder(run: string) {
  const orderId = `XB-${run}`;
  const correlationId = `checkout-${run}`;
  const traceId = `${run}${'e2eb'.repeat(6)}ab`;
  const ids = {
    order: `evt-order-${run}`,
    payment: `evt-payment-${run}`,
    inventory: `evt-inventory-${run}`,
    ack: `evt-ack-${run}`,
    notification: `evt-notify-${run}`,
  };
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
    nats: {
      /** A limits-retention JetStream stream the inventory application writes to (the channel). */
      stream: `e2e-inventory-${run}`,
      subject: `e2e.${run}.inventory.committed`,
      service: 'inventory-service',
      type: 'inventory.committed',
      body: JSON.stringify({
        type: 'inventory.committed',
        producer: 'inventory-service',
        reservationId: `RES-${run}`,
        items: [{ sku: 'SKU-42', quantity: 1 }],
        warehouse: 'LIS-1',
      }),
      headers: {
        'Nats-Msg-Id': ids.inventory,
        traceparent: `00-${traceId}-${run}0000000003-01`,
        'x-causation-id': ids.payment,
        'content-type': 'application/json',
      },
    },
    mqtt: {
      /** Flowscope subscribes to this run's filter only. */
      filter: `e2e/${run}/#`,
      topic: `e2e/${run}/warehouse/dock-7/ack`,
      service: 'warehouse-scanner',
      type: 'device.pick-acknowledged',
      payload: JSON.stringify({ device: 'dock-7', reservationId: `RES-${run}`, status: 'picked' }),
      properties: {
        correlationData: Buffer.from(correlationId),
        contentType: 'application/json',
        userProperties: {
          messageId: ids.ack,
          causationId: ids.inventory,
          type: 'device.pick-acknowledged',
          source: 'warehouse-scanner',
        },
      },
    },
    redis: {
      stream: `e2e-notifications-${run}`,
      service: 'notification-service',
      type: 'notification.sent',
      fields: {
        payload: JSON.stringify({ orderId, channel: 'email', template: 'order-picked' }),
        causationId: ids.ack,
        messageId: ids.notification,
        type: 'notification.sent',
        producer: 'notification-service',
      },
    },
    /** Waits before each later hop: the latencies the trace must show. */
    delaysMs: { payment: 300, inventory: 200, ack: 400, notification: 500 },
  } as const;
}
