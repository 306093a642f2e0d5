import type { Annotation } from '@flowscope/shared';
import { hasText, type NoteText } from '../annotations';

/** A person's note on a map node, as the node shows it. */
export type NodeNote = NoteText;

export const noteOf = (annotation: Annotation | undefined): NodeNote | undefined =>
  hasText(annotation) ? { title: annotation.title, description: annotation.description } : undefined;
