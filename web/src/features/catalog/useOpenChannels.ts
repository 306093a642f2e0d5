import { useState } from 'react';
import { useSearchParamsPatch } from '../../lib/useSearchParamsPatch';

/**
 * Which channel cards are open. `?channel=` names the one a link opened: a new one (a followed
 * link) opens that card, and the user may close it again; opening a card puts it in the URL.
 */
export function useOpenChannels() {
  const [params, patch] = useSearchParamsPatch();
  const channelParam = params.get('channel');
  const [open, setOpen] = useState<ReadonlySet<string>>(() => new Set(channelParam ? [channelParam] : []));
  const [seenParam, setSeenParam] = useState(channelParam);
  if (seenParam !== channelParam) {
    setSeenParam(channelParam);
    if (channelParam && !open.has(channelParam)) setOpen(new Set([...open, channelParam]));
  }

  const toggle = (id: string) => {
    const next = new Set(open);
    if (next.has(id)) {
      next.delete(id);
      if (channelParam === id) patch({ channel: null });
    } else {
      next.add(id);
      patch({ channel: id });
    }
    setOpen(next);
  };
  return { open, toggle, channelParam };
}
