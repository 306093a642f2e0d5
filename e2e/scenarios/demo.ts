/** What the embedded demo shop is expected to show. */
export const demoServices = [
  'order-service',
  'inventory-service',
  'payment-service',
  'shipping-service',
  'notification-service',
  'analytics-service',
] as const;

export const demoChannels = ['orders', 'inventory', 'payments', 'shipments', 'notifications', 'analytics'] as const;
