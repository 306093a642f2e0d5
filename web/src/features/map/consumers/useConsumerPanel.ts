import type { Topology } from '@flowscope/shared';
import { useState, type RefObject } from 'react';
import { useActiveConsumers } from './useActiveConsumers';

/**
 * The consumers panel of the map: it follows the active node; closing it keeps the node (and the
 * stream filter) active, and focus goes back to that node.
 */
export function useConsumerPanel(
  topology: Topology | null,
  visible: Topology | null,
  activeNodeId: string | null,
  section: RefObject<HTMLElement | null>,
) {
  const consumers = useActiveConsumers(topology, activeNodeId);
  const [dismissedFor, setDismissedFor] = useState<string | null>(null);
  if (dismissedFor !== null && dismissedFor !== activeNodeId) setDismissedFor(null);
  // Only for a node on the map: the evidence filter may hide a service known only from its consumers.
  const activeName = visible?.nodes.find((n) => n.id === activeNodeId)?.name;
  const show =
    activeNodeId !== null && activeName !== undefined && consumers.length > 0 && dismissedFor !== activeNodeId;
  const close = () => {
    setDismissedFor(activeNodeId);
    // Focus goes back to the node the panel belonged to, not to the top of the page.
    section.current?.querySelector<HTMLElement>('.fs-node.is-active .fs-node__button')?.focus();
  };
  return { consumers, activeName, show, close };
}
