import { describe, expect, it } from 'vitest';
import { shortEventId } from './EvidenceLinks';

describe('evidence link labels', () => {
  it('drop the source and cut a long last part, keeping the channel', () => {
    expect(shortEventId('demo/shop/shipments/c95de475-07a3-44c9-a176-9312f10191b7')).toBe('shipments/c95de475…');
    expect(shortEventId('demo/shop/shipments/42')).toBe('shipments/42');
    expect(shortEventId('kafka/local/orders/2/1234')).toBe('orders/2/1234');
    expect(shortEventId('odd')).toBe('odd');
  });
});
