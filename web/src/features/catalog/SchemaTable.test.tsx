import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { catalogMarkers } from './catalog.markers';
import { SchemaTable } from './SchemaTable';

afterEach(cleanup);

const schema = {
  type: 'object',
  properties: {
    orderId: { type: 'string', examples: ['A-1'] },
    note: {
      type: ['null', 'string'],
      examples: ['<img src=x onerror=alert(1)>'],
      'x-firstSeenAt': Date.UTC(2024, 2, 1, 10, 0, 0),
    },
    status: { type: 'string', enum: ['placed', 'confirmed'] },
  },
  required: ['orderId', 'status'],
};

describe('SchemaTable', () => {
  it('shows one row per field with its type, presence, values and when it appeared', () => {
    render(<SchemaTable schema={schema} samples={42} />);
    const table = screen.getByTestId(catalogMarkers.schemaTable);
    expect(table.textContent).toContain('Inferred from 42 payloads');
    const rows = screen.getAllByTestId(catalogMarkers.schemaRow);
    expect(rows.map((r) => r.dataset.path)).toEqual(['orderId', 'note', 'status']);
    const [orderId, note, status] = rows.map((r) => within(r));
    expect(orderId?.getByText('required')).toBeTruthy();
    expect(orderId?.getByText('"A-1"')).toBeTruthy();
    expect(note?.getByText('optional')).toBeTruthy();
    expect(note?.getByText('null | string')).toBeTruthy();
    expect(note?.getByText(/^appeared 2024-03-01/)).toBeTruthy();
    expect(status?.getByText('placed')).toBeTruthy();
    expect(status?.getByText('confirmed')).toBeTruthy();
  });

  it('renders values from traffic as text, never as markup', () => {
    const { container } = render(<SchemaTable schema={schema} samples={1} />);
    expect(container.querySelector('img')).toBeNull();
    expect(screen.getByText('"<img src=x onerror=alert(1)>"')).toBeTruthy();
  });

  it('explains an empty schema', () => {
    render(<SchemaTable schema={{}} samples={3} />);
    expect(screen.queryByTestId(catalogMarkers.schemaTable)).toBeNull();
    expect(document.body.textContent).toContain('No fields inferred yet');
  });
});
