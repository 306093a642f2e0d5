import { useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { describeError } from '../../lib/api';
import { annotationMarkers } from './annotations.markers';
import type { Annotations } from './useAnnotations';
import { useSaveAnnotation } from './useSaveAnnotation';
import './annotation.css';

type AnnotationBlockProps = Readonly<{
  target: string;
  annotations: Annotations;
  /** What the note is about, for labels ("flow kind order.placed"). */
  subject: string;
  /** Smaller, for steps and services inside a card. */
  compact?: boolean;
}>;

/**
 * A person's note on a kind, step, service or channel: shown as text, editable inline (Edit → title and
 * description → Save, or Esc to cancel; Ctrl+Enter saves). Saving both fields empty removes the note.
 */
export function AnnotationBlock({ target, annotations, subject, compact = false }: AnnotationBlockProps) {
  const note = annotations.byTarget.get(target);
  const [editing, setEditing] = useState(false);
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const save = useSaveAnnotation();
  const editButton = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  const descriptionId = useId();

  const open = () => {
    setTitle(note?.title ?? '');
    setDescription(note?.description ?? '');
    save.reset();
    setEditing(true);
  };
  const close = () => {
    setEditing(false);
    requestAnimationFrame(() => editButton.current?.focus());
  };
  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    save.mutate({ target, title: title.trim(), description: description.trim() }, { onSuccess: close });
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      close();
    } else if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      submit();
    }
  };

  if (!annotations.available && !note) return null;

  return (
    <div
      className={`fs-annotation${compact ? ' fs-annotation--compact' : ''}${note ? '' : ' is-empty'}`}
      data-testid={annotationMarkers.annotation}
      data-target={target}
    >
      {editing ? (
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
              onClick={close}
              data-testid={annotationMarkers.annotationCancel}
            >
              Cancel
            </button>
            <span className="fs-muted fs-annotation__hint">
              <kbd>Ctrl</kbd>+<kbd>Enter</kbd> saves · <kbd>Esc</kbd> cancels · both empty removes the note
            </span>
          </div>
        </form>
      ) : (
        <div className="fs-annotation__view">
          {note ? (
            <div className="fs-annotation__text">
              {note.title && <strong className="fs-annotation__title">{note.title}</strong>}
              {note.description && <p className="fs-annotation__description">{note.description}</p>}
            </div>
          ) : null}
          {annotations.available && (
            <button
              ref={editButton}
              type="button"
              className="fs-link-button fs-annotation__edit"
              onClick={open}
              aria-label={`${note ? 'Edit the note' : 'Add a note'} on ${subject}`}
              data-testid={annotationMarkers.annotationEdit}
            >
              {note ? 'Edit' : '+ Note'}
            </button>
          )}
        </div>
      )}
    </div>
  );
}
