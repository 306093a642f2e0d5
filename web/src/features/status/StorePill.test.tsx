import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { StorePill } from './StorePill';
import { statusMarkers } from './status.markers';

afterEach(cleanup);

describe('StorePill', () => {
  it('says history is not being saved, why, where, and that the events wait in memory', () => {
    render(
      <StorePill
        store={{ state: 'failing', reason: 'database or disk is full', dir: '/var/flowscope', unwritten: 1234 }}
      />,
    );
    const pill = screen.getByTestId(statusMarkers.store);
    expect(pill.textContent).toContain('History not being saved');
    fireEvent.click(pill);
    const region = screen.getByRole('region', { name: 'History not being saved' });
    expect(region.textContent).toContain('Flowscope cannot write to /var/flowscope: database or disk is full');
    expect(region.textContent).toContain('1,234 events wait in memory');
  });

  it('is not there while history is written, or kept in memory by choice', () => {
    const { container } = render(<StorePill store={{ state: 'writing', unwritten: 10 }} />);
    render(<StorePill store={{ state: 'off', unwritten: 0 }} />);
    render(<StorePill store={undefined} />);
    expect(container.childElementCount).toBe(0);
    expect(screen.queryByTestId(statusMarkers.store)).toBeNull();
  });
});
