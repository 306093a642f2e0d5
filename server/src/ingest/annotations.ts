import type { Annotation, AnnotationInput } from '@flowscope/shared';
import type { EventStore } from '../store/eventStore.js';

/** Annotations people add to kinds, steps, services and channels: in the store, or in memory. */
export class Annotations {
  private readonly memory = new Map<string, Annotation>();

  constructor(private readonly store?: EventStore) {}

  list(): Annotation[] {
    return this.store
      ? this.store.annotations()
      : [...this.memory.values()].sort((a, b) => a.target.localeCompare(b.target));
  }

  /** target → "title: description", for exports. */
  descriptions(): Record<string, string> {
    return Object.fromEntries(
      this.list().map((a) => [a.target, [a.title, a.description].filter((x) => x.trim()).join(': ')]),
    );
  }

  put(input: AnnotationInput, now: number): Annotation {
    const a: Annotation = { ...input, updatedAt: now };
    if (this.store) this.store.putAnnotation(a);
    else this.memory.set(a.target, a);
    return a;
  }

  delete(target: string): boolean {
    return this.store ? this.store.deleteAnnotation(target) : this.memory.delete(target);
  }
}
