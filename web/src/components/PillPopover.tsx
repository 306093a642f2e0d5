import { useCallback, useRef, useState, type ReactNode } from 'react';
import { useDismiss } from './useDismiss';

type PillPopoverProps = {
  /** The pill's text. */
  label: ReactNode;
  /** Pill colour modifier, e.g. `fs-pill--disconnected`. */
  tone: string;
  testId: string;
  /** Accessible name of the popover region. */
  region: string;
  children: ReactNode;
};

/** A status pill that opens a popover with details; closes on Esc or a click outside. */
export function PillPopover({ label, tone, testId, region, children }: PillPopoverProps) {
  const [open, setOpen] = useState(false);
  const rootRef = useRef<HTMLDivElement>(null);
  useDismiss(
    rootRef,
    open,
    useCallback(() => setOpen(false), []),
  );
  return (
    <div className="fs-source" ref={rootRef}>
      <button
        type="button"
        className={`fs-pill ${tone} fs-pill--button`}
        data-testid={testId}
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
      >
        {label}
      </button>
      {open && (
        <div className="fs-popover fs-popover--end" role="region" aria-label={region}>
          {children}
        </div>
      )}
    </div>
  );
}
