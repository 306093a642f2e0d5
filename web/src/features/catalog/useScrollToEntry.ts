import { useEffect, useRef } from 'react';
import { useLocation } from 'react-router';
import { channelAnchor } from './ChannelCard';

/** Scrolls to the entry the address names (`#kind-…`, or `?channel=` opened), once the catalog is there. */
export function useScrollToEntry(ready: boolean, channelParam: string | null) {
  const location = useLocation();
  const done = useRef<string | null>(null);
  useEffect(() => {
    if (!ready) return;
    const anchor = location.hash
      ? decodeURIComponent(location.hash.slice(1))
      : channelParam
        ? channelAnchor(channelParam)
        : null;
    if (!anchor || done.current === anchor) return;
    const target = document.getElementById(anchor);
    if (!target) return;
    done.current = anchor;
    target.scrollIntoView({ block: 'start' });
    target.focus({ preventScroll: true });
  }, [ready, location.hash, channelParam]);
}
