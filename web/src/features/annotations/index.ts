/** Notes people write on flow kinds, steps, services and channels: shown and edited in the catalog, the trace view, the tour and the map. */
export { AnnotationBlock } from './AnnotationBlock';
export { annotationTarget } from './annotationTarget';
export { hasText, noteFullText, noteHeadline, type NoteText } from './annotationText';
export { useAnnotations, type Annotations } from './useAnnotations';
