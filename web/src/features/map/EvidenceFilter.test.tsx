import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EvidenceFilter } from './EvidenceFilter';

afterEach(cleanup);

describe('EvidenceFilter', () => {
  it('offers a pressed toggle per kind, says what is hidden, and reports clicks', () => {
    const onToggle = vi.fn();
    render(
      <EvidenceFilter
        kinds={['header', 'consumer-group', 'inferred-causality']}
        hidden={new Set(['inferred-causality'])}
        hiddenEdges={2}
        onToggle={onToggle}
      />,
    );
    const group = screen.getByRole('group', { name: 'Show edges by evidence' });
    const buttons = screen.getAllByRole('button');
    expect(group.contains(buttons[0]!)).toBe(true);
    expect(buttons.map((b) => [b.textContent, b.getAttribute('aria-pressed')])).toEqual([
      ['header', 'true'],
      ['consumer group', 'true'],
      ['inferred', 'false'],
    ]);
    expect(screen.getByRole('status').textContent).toBe('2 edges hidden');
    fireEvent.click(screen.getByRole('button', { name: 'consumer group' }));
    expect(onToggle).toHaveBeenCalledWith('consumer-group');
  });
});
