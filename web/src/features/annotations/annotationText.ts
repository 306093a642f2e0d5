/** The text of a note, as compact places (a map node, a step row) show it. */
export type NoteText = Readonly<{ title: string; description: string }>;

export const hasText = (note: NoteText | undefined): note is NoteText =>
  note !== undefined && (note.title.trim() !== '' || note.description.trim() !== '');

/** The one line there is room for: the title, or the description's first line when there is no title. */
export function noteHeadline(note: NoteText): string {
  const title = note.title.trim();
  if (title) return title;
  return note.description.trim().split('\n', 1)[0] ?? '';
}

/** All of it on one line, for a tooltip or an accessible label. */
export function noteFullText(note: NoteText): string {
  return [note.title.trim(), note.description.trim().replace(/\s*\n\s*/g, ' ')].filter(Boolean).join(' — ');
}
