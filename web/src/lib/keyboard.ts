/**
 * True when a key press belongs to a text field (or a select, or editable content), never to a
 * page shortcut: every keyboard shortcut checks this first.
 */
export const isEditable = (target: EventTarget | null): boolean =>
  target instanceof HTMLElement &&
  (target.isContentEditable ||
    target.tagName === 'INPUT' ||
    target.tagName === 'TEXTAREA' ||
    target.tagName === 'SELECT');
