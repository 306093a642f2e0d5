import { useId, type ReactNode } from 'react';
import './SidePanel.css';

type SidePanelProps = Readonly<{
  /** What the header says; also the panel's accessible name unless `label` is given. */
  title: ReactNode;
  /** Accessible name when the title alone would not say enough ("Event inspector"). */
  label?: string;
  /** Buttons and links before the close button. */
  actions?: ReactNode;
  onClose: () => void;
  /** The close button's accessible name, e.g. "Close inspector (Esc)". */
  closeLabel: string;
  closeTestId?: string;
  className?: string;
  testId?: string;
  /** Extra attributes for tests and page objects (`data-event-id`, …). */
  data?: Readonly<Record<`data-${string}`, string>>;
  children: ReactNode;
}>;

/** A panel at the side of a view: a header with its title, actions and a close button, then its content. */
export function SidePanel(p: SidePanelProps) {
  const titleId = useId();
  const name = p.label ? { 'aria-label': p.label } : { 'aria-labelledby': titleId };
  return (
    <aside
      className={`fs-side-panel${p.className ? ` ${p.className}` : ''}`}
      data-testid={p.testId}
      {...name}
      {...p.data}
    >
      <header className="fs-side-panel__header">
        <h2 className="fs-panel-title fs-side-panel__title" id={titleId}>
          {p.title}
        </h2>
        <div className="fs-side-panel__actions">
          {p.actions}
          <button
            type="button"
            className="fs-icon-button"
            aria-label={p.closeLabel}
            title="Close (Esc)"
            data-testid={p.closeTestId}
            onClick={p.onClose}
          >
            ×
          </button>
        </div>
      </header>
      {p.children}
    </aside>
  );
}
