import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { HistoryGaps } from './HistoryGaps';
import { statusMarkers } from './status.markers';

const gap = {
  id: 1,
  at: 1_700_000_000_000,
  source: 'kafka:prod',
  reason: 'not-running' as const,
  from: 1_699_999_000_000,
  until: 1_700_000_000_000,
  detail: 'Flowscope was not running; messages in that window were not read. <b>not markup</b>',
};

describe('HistoryGaps', () => {
  it('shows nothing when history is complete', () => {
    const { container } = render(<HistoryGaps gaps={[]} />);
    expect(container.childElementCount).toBe(0);
  });

  it('says how many gaps there are and explains each one as text', () => {
    const { container } = render(<HistoryGaps gaps={[gap]} />);
    const button = screen.getByTestId(statusMarkers.gaps);
    expect(button.textContent).toContain('1 gap in history');
    fireEvent.click(button);
    expect(screen.getByRole('region', { name: 'Gaps in history' }).textContent).toContain('kafka:prod');
    expect(screen.getByText(/Flowscope was not running/).textContent).toContain('<b>not markup</b>');
    expect(container.querySelector('b')).toBeNull();
  });
});
