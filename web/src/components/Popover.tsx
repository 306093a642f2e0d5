import { useCallback, useId, useRef, useState, type ReactNode } from 'react';
import { useDismiss } from './useDismiss';
import './Popover.css';

/** Where the panel opens: below (left- or right-aligned), or above where below would be cut off. */
type PopoverPlacement = 'below-start' | 'below-end' | 'above-start';

type PopoverProps = Readonly<{
  /** What the button shows. */
  label: ReactNode;
  buttonClassName: string;
  /** More attributes for the button: `title`, `aria-label`, `data-*` (test ids and state). */
  buttonAttributes?: Readonly<Record<string, string | undefined>>;
  /** Accessible name of the panel. */
  region: string;
  placement?: PopoverPlacement;
  panelClassName?: string;
  panelTestId?: string;
  /** Class of the element around button and panel (it positions the panel). */
  anchorClassName?: string;
  /** The panel's content; a function gets `close`, for content that acts and then closes. */
  children: ReactNode | ((close: () => void) => ReactNode);
}>;

/** A button that opens a panel of details next to it; Esc or a press outside closes it. */
export function Popover(p: PopoverProps) {
  const [open, setOpen] = useState(false);
  const rootRef = useRef<HTMLDivElement>(null);
  const close = useCallback(() => setOpen(false), []);
  useDismiss(rootRef, open, close);
  const panelId = useId();
  return (
    <div className={`fs-popover-anchor${p.anchorClassName ? ` ${p.anchorClassName}` : ''}`} ref={rootRef}>
      <button
        type="button"
        className={p.buttonClassName}
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((o) => !o)}
        {...p.buttonAttributes}
      >
        {p.label}
      </button>
      {open && (
        <div
          id={panelId}
          className={`fs-popover fs-popover--${p.placement ?? 'below-start'}${p.panelClassName ? ` ${p.panelClassName}` : ''}`}
          role="region"
          aria-label={p.region}
          data-testid={p.panelTestId}
        >
          {typeof p.children === 'function' ? p.children(close) : p.children}
        </div>
      )}
    </div>
  );
}
