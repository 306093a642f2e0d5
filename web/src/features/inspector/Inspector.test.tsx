import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { makeEvent } from '../../test/events';
import { Inspector, type InspectorTab } from './Inspector';
import { inspectorMarkers } from './inspector.markers';

afterEach(cleanup);

const NOW = 1_700_000_060_000;
const show = (event: ReturnType<typeof makeEvent>, tab: InspectorTab = 'payload') =>
  render(<Inspector event={event} tab={tab} onTabChange={() => undefined} now={NOW} />);

const base64 = (bytes: number[]) => btoa(String.fromCharCode(...bytes));

describe('Inspector payload', () => {
  it('shows JSON as a collapsible tree', () => {
    const value = JSON.stringify({ orderId: 'A-1001', items: [{ sku: 'MUG', quantity: 2 }], paid: true, coupon: null });
    show(makeEvent({ payload: { encoding: 'json', value, size: value.length } }));
    const tree = screen.getByTestId(inspectorMarkers.jsonTree);
    expect(tree.textContent).toContain('"orderId": "A-1001"');
    expect(tree.textContent).toContain('"sku": "MUG"');
    expect(tree.textContent).toContain('true');
    expect(tree.textContent).toContain('null');

    fireEvent.click(screen.getByRole('button', { name: /collapse items/i }));
    expect(tree.textContent).not.toContain('"sku"');
    expect(tree.textContent).toContain('1 item');
  });

  it('collapses large arrays', () => {
    const value = JSON.stringify({ ids: Array.from({ length: 500 }, (_, i) => i) });
    show(makeEvent({ payload: { encoding: 'json', value, size: value.length } }));
    const tree = screen.getByTestId(inspectorMarkers.jsonTree);
    expect(tree.textContent).toContain('500 items');
    expect(tree.textContent).not.toContain('499');
  });

  it('shows binary as a hex dump with offsets and ASCII', () => {
    show(makeEvent({ payload: { encoding: 'binary', value: base64([0x00, 0x01, 0xff, 0xfe, 0x42, 0x43]), size: 6 } }));
    const dump = screen.getByTestId(inspectorMarkers.hexDump);
    expect(dump.textContent).toContain('00000000');
    expect(dump.textContent).toContain('00 01 ff fe 42 43');
    expect(dump.textContent).toContain('....BC');
  });

  it('says when the payload is empty', () => {
    show(makeEvent({ payload: { encoding: 'empty', value: '', size: 0 } }));
    expect(screen.getByTestId(inspectorMarkers.emptyPayload).textContent).toBe('(empty payload)');
    expect(screen.queryByTestId(inspectorMarkers.copyPayload)).toBeNull();
  });

  it.each([
    ['json', JSON.stringify({ note: '<img src=x onerror=alert(1)>' })],
    ['text', '<img src=x onerror=alert(1)>'],
  ] as const)('renders markup in a %s payload as text, never as an element', (encoding, value) => {
    const { container } = show(makeEvent({ payload: { encoding, value, size: value.length } }));
    expect(container.querySelector('img')).toBeNull();
    expect(screen.getByTestId(inspectorMarkers.payloadSection).textContent).toContain('<img src=x onerror=alert(1)>');
  });

  it('shows the server note and that the payload was truncated', () => {
    const value = '{"orderId": "K-9", "total": ';
    show(
      makeEvent({
        payload: { encoding: 'text', value, size: 2048, truncated: true, note: 'Looks like JSON but does not parse' },
      }),
    );
    expect(screen.getByTestId(inspectorMarkers.payloadNote).textContent).toContain('does not parse');
    expect(screen.getByTestId(inspectorMarkers.truncated).textContent).toContain(
      `first ${value.length} of 2,048 bytes`,
    );
    expect(screen.getByTestId(inspectorMarkers.textPayload).textContent).toBe(value);
  });
});

describe('Inspector metadata and headers', () => {
  it('says "no key" when the message has none', () => {
    show(makeEvent({ key: undefined }), 'metadata');
    const meta = screen.getByTestId(inspectorMarkers.metadataSection);
    expect(meta.textContent).toContain('no key');
    expect(within(meta).getByText('orderId').nextSibling?.textContent).toMatch(/^A-10\d\d$/);
  });

  it('lists every header value', () => {
    show(makeEvent({ headers: { 'x-retry': ['1', '2'], 'correlation-id': 'c-1' } }), 'headers');
    const headers = screen.getByTestId(inspectorMarkers.headersSection);
    expect(headers.textContent).toContain('x-retry');
    expect(headers.textContent).toContain('12');
    expect(headers.textContent).toContain('correlation-id');
  });
});
