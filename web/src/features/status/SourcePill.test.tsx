import type { SourceStatus } from '@flowscope/shared';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { SourcePill } from './SourcePill';
import { statusMarkers } from './status.markers';

const lag = {
  records: 12_400,
  seconds: 8.4,
  measuredAt: 1_700_000_000_000,
  channels: [
    { channel: 'orders', partition: 0, records: 12_000, seconds: 8.4 },
    { channel: 'orders', partition: 1, records: 400 },
    { channel: 'orders', partition: 2, records: 0, seconds: 0 },
  ],
};

const kafka: SourceStatus = {
  id: 'kafka:local',
  broker: 'kafka',
  cluster: 'local',
  target: '127.0.0.1:9092 · orders',
  state: 'connected',
  eventsReceived: 1200,
  since: 1_700_000_000_000,
  lag,
};

afterEach(cleanup);

describe('SourcePill lag', () => {
  it('says in the status bar how far the tap is behind, and per partition in its panel', () => {
    render(<SourcePill source={kafka} />);
    const pill = screen.getByRole('button', { name: /12,400 behind · 8 s/ });
    fireEvent.click(pill);
    const panel = screen.getByTestId(statusMarkers.sourceLag);
    expect(panel.textContent).toContain('12,400 records (8 s) behind the end of the log');
    const rows = within(panel).getAllByTestId(statusMarkers.sourceLagRow);
    expect(rows.map((r) => [...r.children].map((c) => c.textContent))).toEqual([
      ['orders', '0', '12,000', '8 s'],
      ['orders', '1', '400', 'nothing read yet'],
      ['orders', '2', '0', '0 s'],
    ]);
  });

  it('warns when the tap cannot keep up, and says it skips nothing', () => {
    const notice = 'kafka:local is 12,400 records (8 s) behind … It keeps reading in order and skips nothing.';
    render(<SourcePill source={{ ...kafka, lag: { ...lag, notice } }} />);
    const pill = screen.getByRole('button', { name: /⚠ 12,400 behind/ });
    expect(pill.getAttribute('title')).toContain('skips nothing');
    fireEvent.click(pill);
    expect(screen.getByTestId(statusMarkers.sourceLag).getAttribute('data-lag')).toBe('falling-behind');
    expect(screen.getByText(notice)).toBeTruthy();
  });

  it('shows nothing behind when caught up, and "not applicable" for a source without a log end', () => {
    const caughtUp = { ...kafka, lag: { ...lag, records: 0, seconds: 0, channels: [] } };
    const { unmount } = render(<SourcePill source={caughtUp} />);
    expect(screen.getByTestId(statusMarkers.source).textContent).not.toContain('behind');
    fireEvent.click(screen.getByTestId(statusMarkers.source));
    expect(screen.getByTestId(statusMarkers.sourceLag).textContent).toContain('caught up');
    unmount();
    const { lag: _none, ...mqtt } = { ...kafka, id: 'mqtt:local', broker: 'mqtt' as const };
    render(<SourcePill source={mqtt} />);
    fireEvent.click(screen.getByTestId(statusMarkers.source));
    expect(screen.getByTestId(statusMarkers.sourceLag).textContent).toContain('not applicable');
    expect(screen.getByTestId(statusMarkers.sourceLag).textContent).not.toMatch(/\b0\b/);
  });
});
