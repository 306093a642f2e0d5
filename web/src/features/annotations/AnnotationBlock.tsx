import { useRef, useState } from 'react';
import { AnnotationForm } from './AnnotationForm';
import { annotationMarkers } from './annotations.markers';
import type { Annotations } from './useAnnotations';
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
  const editButton = useRef<HTMLButtonElement>(null);
  const close = () => {
    setEditing(false);
    requestAnimationFrame(() => editButton.current?.focus());
  };

  if (!annotations.available && !note) return null;

  return (
    <div
      className={`fs-annotation${compact ? ' fs-annotation--compact' : ''}${note ? '' : ' is-empty'}`}
      data-testid={annotationMarkers.annotation}
      data-target={target}
    >
      {editing ? (
        <AnnotationForm target={target} note={note} subject={subject} onDone={close} />
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
              onClick={() => setEditing(true)}
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
