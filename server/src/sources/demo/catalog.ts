/** Reference data the simulated shop draws from. */
export const products = [
  { sku: 'SKU-MUG-01', name: 'Ceramic mug', unitPrice: 12.5 },
  { sku: 'SKU-TEE-M', name: 'Organic cotton tee (M)', unitPrice: 24 },
  { sku: 'SKU-BAG-TOTE', name: 'Canvas tote bag', unitPrice: 18 },
  { sku: 'SKU-NB-A5', name: 'Dotted notebook A5', unitPrice: 9.9 },
  { sku: 'SKU-BTL-750', name: 'Steel bottle 750 ml', unitPrice: 29 },
  { sku: 'SKU-CAP-BLK', name: 'Black cap', unitPrice: 21 },
] as const;

export const cities = ['Lisbon', 'Berlin', 'Lyon', 'Utrecht', 'Gdansk', 'Bilbao', 'Turin'] as const;
export const carriers = ['DHL', 'UPS', 'PostNL', 'GLS'] as const;
export const paymentMethods = ['card', 'paypal', 'sepa'] as const;
export const paymentFailures = ['card_declined', 'insufficient_funds', 'gateway_timeout'] as const;

/** The six services of the shop and the channels each one listens to. */
export const shopServices = {
  'order-service': ['payments', 'inventory'],
  'inventory-service': ['orders'],
  'payment-service': ['inventory'],
  'shipping-service': ['orders'],
  'notification-service': ['orders', 'shipments'],
  'analytics-service': ['notifications'],
} as const;
export type ShopService = keyof typeof shopServices;
