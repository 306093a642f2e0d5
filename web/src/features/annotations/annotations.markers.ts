/** Test ids of a note block (the catalog, the trace view and the tour show them); e2e page objects import these. */
export const annotationMarkers = {
  /** An annotation block; carries `data-target`. */
  annotation: 'catalog-annotation',
  annotationEdit: 'catalog-annotation-edit',
  annotationTitle: 'catalog-annotation-title',
  annotationDescription: 'catalog-annotation-description',
  annotationSave: 'catalog-annotation-save',
  annotationCancel: 'catalog-annotation-cancel',
} as const;
