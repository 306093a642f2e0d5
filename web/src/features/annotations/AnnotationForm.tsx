import type { Annotation } from '@flowscope/shared';
import { useId, useState, type FormEvent, type KeyboardEvent } from 'react';
import { describeError } from '../../lib/api';
import { annotationMarkers } from './annotations.markers';
import { useSaveAnnotation } from './useSaveAnnotation';

type AnnotationFormProps = Readonly<{
  target: string;
  note: Annotation | undefined;
  subject: string;
  /** Called after a save, and on cancel. */
  onDone: () => void;
}>;

/** Title and description of a note, saved with the button or Ctrl+Enter, cancelled with Esc. */
export function AnnotationForm({ target, note, subject, onDone }: AnnotationFormProps) {
  const [title, setTitle] = useState(note?.title ?? '');
  const [description, setDescription] = useState(note?.description ?? '');
  const save = useSaveAnnotation();
  const titleId = useId();
  const descriptionId = useId();

  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    save.mutate({ target, title: title.trim(), description: description.trim() }, { onSuccess: onDone });
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      onDone();
    } else if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      submit();
    }
  };

  return (
    <form className="fs-annotation__form" onSubmit={submit} onKeyDown={onKeyDown} aria-label={`Note on ${subject}`}>
      <label htmlFor={titleId}>Title</label>
      <input
        id={titleId}
        className="fs-annotation__input"
        value={title}
        maxLength={200}
        autoFocus
        onChange={(e) => setTitle(e.target.value)}
        data-testid={annotationMarkers.annotationTitle}
      />
      <label htmlFor={descriptionId}>Description</label>
      <textarea
        id={descriptionId}
        className="fs-annotation__input"
        value={description}
        maxLength={10_000}
        rows={3}
        onChange={(e) => setDescription(e.target.value)}
        data-testid={annotationMarkers.annotationDescription}
      />
      {save.isError && (
        <p className="fs-warning" role="alert">
          Not saved: {describeError(save.error).message}
        </p>
      )}
      <div className="fs-annotation__actions">
        <button
          type="submit"
          className="fs-button fs-button--small fs-button--accent"
          disabled={save.isPending}
          data-testid={annotationMarkers.annotationSave}
        >
          {save.isPending ? 'Saving…' : 'Save'}
        </button>
        <button
          type="button"
          className="fs-button fs-button--small"
          onClick={onDone}
          data-testid={annotationMarkers.annotationCancel}
        >
          Cancel
        </button>
        <span className="fs-muted fs-annotation__hint">
          <kbd>Ctrl</kbd>+<kbd>Enter</kbd> saves · <kbd>Esc</kbd> cancels · both empty removes the note
        </span>
      </div>
    </form>
  );
}
