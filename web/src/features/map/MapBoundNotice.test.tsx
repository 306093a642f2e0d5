import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { MapBoundNotice } from './MapBoundNotice';
import { mapMarkers } from './map.markers';

afterEach(cleanup);

describe('the notice of a bounded map', () => {
  it('says how many services, channels and connections the map grouped or left out, and how to find one', () => {
    render(<MapBoundNotice hidden={{ services: 19_850, channels: 1, edges: 42 }} />);
    const notice = screen.getByTestId(mapMarkers.boundNotice);
    expect(notice.textContent).toBe(
      'Busiest shown; 19,850 quieter services and 1 quieter channel grouped as “other”. 42 least-used connections not drawn. Filter the stream by name to see any of them.',
    );
  });

  it('is not there when the map shows everything', () => {
    const { container } = render(<MapBoundNotice hidden={{ services: 0, channels: 0, edges: 0 }} />);
    expect(container.childElementCount).toBe(0);
    render(<MapBoundNotice hidden={undefined} />);
    expect(screen.queryByTestId(mapMarkers.boundNotice)).toBeNull();
  });
});
