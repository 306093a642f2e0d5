import { stepOf, type Flow } from '@flowscope/shared';
import { useMemo } from 'react';
import { annotationTarget, hasText, noteFullText, type Annotations } from '../annotations';

/** The note on each event's step (its kind and `type@channel`), as one line, by event id. */
export function useStepNotes(flow: Pick<Flow, 'events' | 'kind'>, annotations: Annotations | undefined) {
  return useMemo(() => {
    const out = new Map<string, string>();
    if (!annotations) return out;
    for (const e of flow.events) {
      const note = annotations.byTarget.get(annotationTarget.step(flow.kind, stepOf(e)));
      if (hasText(note)) out.set(e.id, noteFullText(note));
    }
    return out;
  }, [annotations, flow.events, flow.kind]);
}
