import { carriers, cities, paymentFailures, paymentMethods, products, type ShopService } from './catalog.js';
import type { Random } from './random.js';

/** How a service puts correlation data on the wire; each channel of the shop uses one. */
type Convention = 'plain-headers' | 'cloudevents-binary' | 'cloudevents-structured' | 'app-headers';

export type ShopMessage = {
  readonly id: string;
  readonly channel: string;
  readonly type: string;
  readonly producer: ShopService;
  readonly convention: Convention;
  readonly data: Record<string, unknown>;
  readonly order: OrderContext;
  readonly causationId?: string;
  readonly extraHeaders?: Readonly<Record<string, string>>;
  /** Set on a redelivery: the broker's id for this copy differs, the message id does not. */
  readonly deliveryId?: string;
  /** The producing service's clock is off by this much (negative: stamped early). */
  readonly clockSkewMs?: number;
};

type OrderContext = {
  readonly orderId: string;
  readonly correlationId: string;
  readonly traceId: string;
  readonly customerId: string;
  total: number;
};

/** What the simulation needs from its host: time passing and a way out for messages. */
export type ShopHost = {
  after(ms: number, run: () => void): void;
  publish(message: ShopMessage): void;
};

/** The shop's channels have three partitions each; an order's messages all go to one. */
const DEMO_PARTITIONS = 3;

export function partitionOf(orderId: string): number {
  let h = 0;
  for (let i = 0; i < orderId.length; i++) h = (h * 31 + orderId.charCodeAt(i)) >>> 0;
  return h % DEMO_PARTITIONS;
}

/** Partition 2 of `orders` lies behind a producer that retries without idempotence: it reorders. */
const REORDERING_PARTITION = 2;
/** From this shipment on, a canary of the next shipping-service sends some shipments without `trackingNumber`. */
const CANARY_AFTER_SHIPMENTS = 120;

const channelConvention: Record<string, Convention> = {
  orders: 'plain-headers',
  inventory: 'cloudevents-binary',
  payments: 'cloudevents-binary',
  'payments.dlq': 'cloudevents-binary',
  shipments: 'cloudevents-structured',
  notifications: 'app-headers',
  analytics: 'app-headers',
};

/**
 * The simulated shop: each order walks order → inventory → payment → confirmation → shipping →
 * notification → analytics, with the failures real shops see (out of stock, declined payments
 * retried once, dead-lettered payments, cancellations) at low rates. Its architecture faults are
 * known, for the insights to find: the notification service is not idempotent (it mails twice
 * for a redelivered shipment) where the shipping service is; partition 2 of `orders` reorders
 * an order's versions; a canary of the shipping service drops `trackingNumber` (breaking).
 */
export class Shop {
  private orderNo = 10_000;
  private shipments = 0;
  /** Order ids differ between runs (`KTR-10001`), so a restarted demo never joins old flows. */
  private readonly prefix: string;

  constructor(
    private readonly rng: Random,
    private readonly host: ShopHost,
  ) {
    this.prefix = Array.from({ length: 3 }, () => String.fromCharCode(65 + Math.floor(rng.next() * 26))).join('');
  }

  placeOrder(): void {
    this.orderNo += 1;
    const items = Array.from({ length: this.rng.between(1, 3) }, () => {
      const p = this.rng.pick(products);
      return { sku: p.sku, name: p.name, quantity: this.rng.between(1, 3), unitPrice: p.unitPrice };
    });
    const total = Math.round(items.reduce((sum, i) => sum + i.quantity * i.unitPrice, 0) * 100) / 100;
    const order: OrderContext = {
      orderId: `${this.prefix}-${this.orderNo}`,
      correlationId: this.uuid(),
      traceId: this.rng.hex(32),
      customerId: `C-${this.rng.between(1000, 9999)}`,
      total,
    };
    const placed = this.emit(order, 'order-service', 'orders', 'order.placed', {
      orderId: order.orderId,
      customerId: order.customerId,
      items,
      total,
      currency: 'EUR',
      shippingAddress: { city: this.rng.pick(cities), country: 'EU' },
      version: 1,
    });
    this.later(30, 150, () => this.reserveInventory(placed));
  }

  private reserveInventory(cause: ShopMessage) {
    const { order } = cause;
    if (this.rng.chance(0.04)) {
      const out = this.emit(
        order,
        'inventory-service',
        'inventory',
        'inventory.out-of-stock',
        {
          orderId: order.orderId,
          sku: this.rng.pick(products).sku,
          requested: 2,
          available: 0,
        },
        cause,
      );
      this.later(20, 80, () => this.cancel(out, 'out_of_stock'));
      return;
    }
    // A warehouse host with a drifting clock stamps some reservations before the order they answer.
    const skew = this.rng.chance(0.02) ? { clockSkewMs: -this.rng.between(300, 900) } : {};
    const reserved = this.emit(
      order,
      'inventory-service',
      'inventory',
      'inventory.reserved',
      {
        orderId: order.orderId,
        reservationId: `R-${this.rng.hex(8)}`,
        warehouse: this.rng.pick(['LIS-1', 'BER-2', 'AMS-1']),
        expiresInSeconds: 900,
      },
      cause,
      undefined,
      skew,
    );
    // Now and then the payment service never picks the order up: the flow is stuck.
    if (this.rng.chance(0.01)) return;
    this.later(50, 300, () => this.charge(reserved, 1, `P-${this.rng.hex(10)}`));
  }

  private charge(cause: ShopMessage, attempt: number, paymentId: string) {
    const { order } = cause;
    if (attempt === 1 && order.total > 60 && this.rng.chance(0.05)) {
      // Big orders are sometimes held for a manual fraud review first: a step most flows lack.
      const review = this.emit(
        order,
        'payment-service',
        'payments',
        'payment.fraud-review-requested',
        {
          orderId: order.orderId,
          paymentId,
          amount: order.total,
          rule: 'amount-over-60',
        },
        cause,
      );
      this.later(300, 800, () => this.charge(review, 1.5, paymentId));
      return;
    }
    const base = {
      orderId: order.orderId,
      paymentId,
      amount: order.total,
      currency: 'EUR',
      attempt: Math.ceil(attempt),
    };
    if (this.rng.chance(attempt < 2 ? 0.1 : 0.35)) {
      const failed = this.emit(
        order,
        'payment-service',
        'payments',
        'payment.failed',
        {
          ...base,
          method: this.rng.pick(paymentMethods),
          reason: this.rng.pick(paymentFailures),
        },
        cause,
      );
      if (attempt < 2) {
        this.later(400, 900, () => this.charge(failed, 2, paymentId));
      } else {
        const dead = this.emit(order, 'payment-service', 'payments.dlq', 'payment.failed', failed.data, failed, {
          'x-death-reason': 'max-retries-exceeded',
          'x-death-count': '2',
          'x-original-channel': 'payments',
        });
        this.later(20, 80, () => this.cancel(dead, 'payment_failed'));
      }
      return;
    }
    const authorized = this.emit(
      order,
      'payment-service',
      'payments',
      'payment.authorized',
      {
        ...base,
        method: this.rng.pick(paymentMethods),
        authorizationCode: this.rng.hex(6).toUpperCase(),
      },
      cause,
    );
    this.later(20, 80, () => this.confirm(authorized));
  }

  private confirm(cause: ShopMessage) {
    const { order } = cause;
    // Now and then the customer changes the delivery address right after paying (version 3).
    if (this.rng.chance(0.03)) {
      if (partitionOf(order.orderId) === REORDERING_PARTITION) {
        // A retried batch: the change lands on the partition before the confirmation (version 2).
        this.changeAddress(order);
        this.later(5, 20, () => this.confirmed(cause));
      } else {
        this.confirmed(cause);
        this.later(10, 40, () => this.changeAddress(order));
      }
      return;
    }
    this.confirmed(cause);
  }

  private confirmed(cause: ShopMessage) {
    const { order } = cause;
    const confirmed = this.emit(
      order,
      'order-service',
      'orders',
      'order.confirmed',
      {
        orderId: order.orderId,
        customerId: order.customerId,
        paymentId: cause.data.paymentId,
        total: order.total,
        currency: 'EUR',
        status: 'confirmed',
        version: 2,
      },
      cause,
    );
    // At-least-once delivery: the broker sometimes hands the same message over twice (the
    // shipping service takes it once: it is idempotent).
    if (this.rng.chance(0.01)) this.host.publish({ ...confirmed, deliveryId: `${confirmed.id}~redelivered` });
    this.later(100, 500, () => this.ship(confirmed));
  }

  private changeAddress(order: OrderContext) {
    this.emit(order, 'order-service', 'orders', 'order.address-changed', {
      orderId: order.orderId,
      customerId: order.customerId,
      shippingAddress: { city: this.rng.pick(cities), country: 'EU' },
      version: 3,
    });
  }

  private ship(cause: ShopMessage) {
    const { order } = cause;
    this.shipments += 1;
    const trackingNumber = this.rng.hex(12).toUpperCase();
    // The canary of the next shipping-service moved the tracking number: a breaking change.
    const canary = this.shipments > CANARY_AFTER_SHIPMENTS && this.rng.chance(0.1);
    const shipment = this.emit(
      order,
      'shipping-service',
      'shipments',
      'shipment.created',
      {
        orderId: order.orderId,
        shipmentId: `S-${this.rng.hex(8)}`,
        carrier: this.rng.pick(carriers),
        ...(canary ? { tracking: { number: trackingNumber } } : { trackingNumber }),
        estimatedDeliveryDays: this.rng.between(1, 5),
      },
      cause,
    );
    // A notification-service outage drops some shipments: the flow misses its last steps.
    if (this.rng.chance(0.02)) return;
    this.later(20, 100, () => this.notify(shipment, 'shipped'));
    // Redelivered now and then (its acknowledgement timed out, after the mail went out), and the
    // notification service reacts to the copy too: the customer gets the mail twice (it is not
    // idempotent).
    if (this.rng.chance(0.02))
      this.later(150, 300, () => {
        this.host.publish({ ...shipment, deliveryId: `${shipment.id}~redelivered` });
        this.later(20, 100, () => this.notify(shipment, 'shipped', false));
      });
  }

  private cancel(cause: ShopMessage, reason: string) {
    const { order } = cause;
    const cancelled = this.emit(
      order,
      'order-service',
      'orders',
      'order.cancelled',
      {
        orderId: order.orderId,
        customerId: order.customerId,
        reason,
        status: 'cancelled',
        version: 2,
      },
      cause,
    );
    this.later(20, 100, () => this.notify(cancelled, 'cancelled'));
  }

  private notify(cause: ShopMessage, template: 'shipped' | 'cancelled', recorded = true) {
    const { order } = cause;
    const sent = this.emit(
      order,
      'notification-service',
      'notifications',
      'notification.sent',
      {
        orderId: order.orderId,
        customerId: order.customerId,
        channel: this.rng.pick(['email', 'sms', 'push']),
        template: `order-${template}`,
      },
      cause,
    );
    if (!recorded) return;
    this.later(50, 200, () =>
      this.emit(
        order,
        'analytics-service',
        'analytics',
        'analytics.order-recorded',
        {
          orderId: order.orderId,
          outcome: template === 'shipped' ? 'fulfilled' : 'cancelled',
          revenue: template === 'shipped' ? order.total : 0,
        },
        sent,
      ),
    );
  }

  private emit(
    order: OrderContext,
    producer: ShopService,
    channel: string,
    type: string,
    data: Record<string, unknown>,
    cause?: ShopMessage,
    extraHeaders?: Record<string, string>,
    extra: { clockSkewMs?: number } = {},
  ): ShopMessage {
    const message: ShopMessage = {
      id: this.uuid(),
      channel,
      type,
      producer,
      convention: channelConvention[channel] ?? 'plain-headers',
      data,
      order,
      ...(cause ? { causationId: cause.id } : {}),
      ...(extraHeaders ? { extraHeaders } : {}),
      ...extra,
    };
    this.host.publish(message);
    return message;
  }

  private later(min: number, max: number, run: () => void) {
    this.host.after(this.rng.between(min, max), run);
  }

  private uuid(): string {
    const h = this.rng.hex(32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20)}`;
  }
}
