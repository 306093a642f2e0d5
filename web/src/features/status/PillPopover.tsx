import type { ReactNode } from 'react';
import { Popover } from '../../components/Popover';

type PillPopoverProps = Readonly<{
  /** The pill's text. */
  label: ReactNode;
  /** Pill colour modifier, e.g. `fs-pill--disconnected`. */
  tone: string;
  testId: string;
  /** More attributes of the pill: `title`, `data-*`. */
  attributes?: Readonly<Record<string, string | undefined>>;
  /** Accessible name of the popover region. */
  region: string;
  panelTestId?: string;
  /** Right-aligned under the pill (at the end of the bar) or left-aligned. */
  align?: 'start' | 'end';
  children: ReactNode;
}>;

/** A status pill that opens a popover with details. */
export function PillPopover({
  label,
  tone,
  testId,
  attributes,
  region,
  panelTestId,
  align = 'end',
  children,
}: PillPopoverProps) {
  return (
    <Popover
      label={label}
      buttonClassName={`fs-pill ${tone} fs-pill--button`}
      buttonAttributes={{ 'data-testid': testId, ...attributes }}
      region={region}
      placement={align === 'end' ? 'below-end' : 'below-start'}
      {...(panelTestId ? { panelTestId } : {})}
    >
      {children}
    </Popover>
  );
}
