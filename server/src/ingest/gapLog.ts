import type { Gap } from '@flowscope/shared';
import type { EventStore } from '../store/eventStore.js';

const MEMORY_LIMIT = 1000;

/**
 * Every place where continuity was lost, newest first: persisted with the events when there is a
 * store, otherwise kept in memory (the newest 1,000) so a run without history still shows them.
 */
export class GapLog {
  private readonly memory: Gap[] = [];
  private nextId = 1;

  constructor(private readonly store?: EventStore) {}

  add(gap: Omit<Gap, 'id'>): Gap {
    if (this.store) return this.store.addGap(gap);
    const stored = { id: this.nextId++, ...gap };
    this.memory.unshift(stored);
    this.memory.length = Math.min(this.memory.length, MEMORY_LIMIT);
    return stored;
  }

  list(limit = 100): Gap[] {
    return this.store ? this.store.gaps(limit) : this.memory.slice(0, limit);
  }
}
