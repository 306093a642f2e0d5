import { useRef, type KeyboardEvent, type ReactNode } from 'react';
import './Tabs.css';

export type TabItem<T extends string> = Readonly<{ id: T; label: ReactNode; testId?: string | undefined }>;

type TabsProps<T extends string> = Readonly<{
  tabs: readonly TabItem<T>[];
  selected: T;
  onSelect: (id: T) => void;
  /** Accessible name of the tab list ("Event details"). */
  label: string;
  /** Prefix of the tab and panel element ids; unique on the page. */
  idPrefix: string;
  className?: string;
}>;

const tabId = (prefix: string, id: string) => `${prefix}-tab-${id}`;
const panelId = (prefix: string, id: string) => `${prefix}-panel-${id}`;

/** A row of tabs (WAI-ARIA tabs pattern): a click or ← → selects, the selected tab alone is in the Tab order. */
export function Tabs<T extends string>({ tabs, selected, onSelect, label, idPrefix, className }: TabsProps<T>) {
  const refs = useRef<Partial<Record<string, HTMLButtonElement | null>>>({});
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
    e.preventDefault();
    const i = tabs.findIndex((t) => t.id === selected);
    const next = tabs[(i + (e.key === 'ArrowRight' ? 1 : tabs.length - 1)) % tabs.length]?.id;
    if (next === undefined) return;
    onSelect(next);
    refs.current[next]?.focus();
  };
  return (
    <div
      className={`fs-tabs${className ? ` ${className}` : ''}`}
      role="tablist"
      aria-label={label}
      onKeyDown={onKeyDown}
    >
      {tabs.map((t) => (
        <button
          key={t.id}
          ref={(el) => {
            refs.current[t.id] = el;
          }}
          type="button"
          role="tab"
          id={tabId(idPrefix, t.id)}
          aria-selected={selected === t.id}
          aria-controls={panelId(idPrefix, t.id)}
          tabIndex={selected === t.id ? 0 : -1}
          className="fs-tabs__tab"
          data-testid={t.testId}
          onClick={() => onSelect(t.id)}
        >
          {t.label}
        </button>
      ))}
    </div>
  );
}

type TabPanelProps = Readonly<{ idPrefix: string; selected: string; className?: string; children: ReactNode }>;

/** The content of the selected tab of the `Tabs` with the same `idPrefix`. */
export function TabPanel({ idPrefix, selected, className, children }: TabPanelProps) {
  return (
    <div
      role="tabpanel"
      id={panelId(idPrefix, selected)}
      aria-labelledby={tabId(idPrefix, selected)}
      className={className}
    >
      {children}
    </div>
  );
}
