import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { TabPanel, Tabs } from './Tabs';

afterEach(cleanup);

function Example() {
  const [tab, setTab] = useState<'a' | 'b' | 'c'>('a');
  return (
    <>
      <Tabs
        tabs={[
          { id: 'a', label: 'Alpha' },
          { id: 'b', label: 'Beta' },
          { id: 'c', label: 'Gamma' },
        ]}
        selected={tab}
        onSelect={setTab}
        label="Letters"
        idPrefix="letters"
      />
      <TabPanel idPrefix="letters" selected={tab}>
        content of {tab}
      </TabPanel>
    </>
  );
}

describe('Tabs', () => {
  it('shows the clicked tab, and moves with the arrow keys (round the ends), focus following', () => {
    render(<Example />);
    expect(screen.getByRole('tabpanel', { name: 'Alpha' }).textContent).toBe('content of a');
    fireEvent.click(screen.getByRole('tab', { name: 'Gamma' }));
    expect(screen.getByRole('tabpanel', { name: 'Gamma' }).textContent).toBe('content of c');
    fireEvent.keyDown(screen.getByRole('tab', { name: 'Gamma' }), { key: 'ArrowRight' });
    expect(screen.getByRole('tab', { selected: true }).textContent).toBe('Alpha');
    expect(document.activeElement?.textContent).toBe('Alpha');
    fireEvent.keyDown(screen.getByRole('tab', { name: 'Alpha' }), { key: 'ArrowLeft' });
    expect(screen.getByRole('tab', { selected: true }).textContent).toBe('Gamma');
    // Only the selected tab is in the Tab order.
    expect(screen.getAllByRole('tab').map((t) => t.tabIndex)).toEqual([-1, -1, 0]);
  });
});
