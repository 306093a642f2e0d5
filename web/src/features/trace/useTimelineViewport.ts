import type { FlowEvent } from '@flowscope/shared';
import { useCallback, useLayoutEffect, useRef, useState } from 'react';
import { fitScale, timelineExtent, zoomAt } from './timelineLayout';
import { useDragPan } from './useDragPan';

/** Width of the sticky lane-name column left of the timeline's SVG. */
export const TIMELINE_GUTTER = 164;
const STEP = 1.5;

type Zoom = Readonly<{ mode: 'fit' } | { mode: 'manual'; pxPerMs: number }>;

/**
 * Zoom and pan of the timeline: fit to width by default (and while the flow grows live), zoom
 * with buttons or ctrl/⌘ + wheel around the pointer, pan by dragging or scrolling.
 * `attach` is the scroll container's ref callback.
 */
export function useTimelineViewport(events: readonly FlowEvent[]) {
  const scroller = useRef<HTMLDivElement | null>(null);
  const [width, setWidth] = useState(0);
  const [zoom, setZoom] = useState<Zoom>({ mode: 'fit' });
  const pendingScroll = useRef<number | null>(null);
  const { dragging, panHandlers } = useDragPan();

  const fit = fitScale(events, Math.max(240, width - TIMELINE_GUTTER));
  const pxPerMs = zoom.mode === 'fit' ? fit : zoom.pxPerMs;

  // A zoom moves the scroll position with it, once the wider canvas is rendered.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (el && pendingScroll.current !== null) {
      el.scrollLeft = pendingScroll.current;
      pendingScroll.current = null;
    }
  });

  const zoomBy = (factor: number, anchorPx?: number) => {
    const el = scroller.current;
    if (!el) return;
    const anchor = anchorPx ?? (el.clientWidth - TIMELINE_GUTTER) / 2;
    const { padLeft } = timelineExtent(events);
    const next = zoomAt({ pxPerMs, factor, scrollLeft: el.scrollLeft, anchorPx: anchor, padLeft });
    // Zooming out past "everything visible" shows nothing more: snap back to fit.
    if (next.pxPerMs <= fit * 1.001) {
      setZoom({ mode: 'fit' });
      pendingScroll.current = 0;
      return;
    }
    pendingScroll.current = next.scrollLeft;
    setZoom({ mode: 'manual', pxPerMs: next.pxPerMs });
  };

  // The wheel listener is attached once; it calls the zoom of the latest render.
  const latestZoomBy = useRef(zoomBy);
  useLayoutEffect(() => {
    latestZoomBy.current = zoomBy;
  });

  const attach = useCallback((el: HTMLDivElement | null) => {
    scroller.current = el;
    if (!el) return;
    const measure = () => setWidth(el.clientWidth);
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    const onWheel = (e: WheelEvent) => {
      if (!e.ctrlKey && !e.metaKey) return; // a plain wheel scrolls (with shift: sideways)
      e.preventDefault();
      const factor = Math.min(2, Math.max(0.5, Math.exp(-e.deltaY * 0.003)));
      latestZoomBy.current(factor, e.clientX - el.getBoundingClientRect().left - TIMELINE_GUTTER);
    };
    // Not passive: ctrl + wheel must zoom the timeline, not the page.
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => {
      ro.disconnect();
      el.removeEventListener('wheel', onWheel);
      scroller.current = null;
    };
  }, []);

  return {
    attach,
    pxPerMs,
    /** Zoom relative to "fit", for the readout. */
    relative: fit > 0 ? pxPerMs / fit : 1,
    isFit: zoom.mode === 'fit',
    dragging,
    zoomIn: () => zoomBy(STEP),
    zoomOut: () => zoomBy(1 / STEP),
    fit: () => {
      setZoom({ mode: 'fit' });
      pendingScroll.current = 0;
    },
    panHandlers,
  };
}

export type TimelineViewport = ReturnType<typeof useTimelineViewport>;
